import { KeyedSplice } from './response-merge';

const page = (items: Record<string, unknown>[]) => JSON.stringify({ items, next_cursor: 'c1' });

describe('KeyedSplice', () => {
  it('finds every value of the key, in order, repeats kept', () => {
    const sut = new KeyedSplice(
      page([{ course_id: 'A1' }, { course_id: 'B-2.x:y' }, { course_id: 'A1' }]),
      'course_id',
    );
    expect(sut.values).toEqual(['A1', 'B-2.x:y', 'A1']);
  });

  it('inserts after each value, giving the JSON a parse-merge would give', () => {
    const items = [
      { course_id: 'A1', title: 'Algebra', capacity: 3 },
      { course_id: 'B2', title: 'Biology', capacity: 5 },
    ];
    const sut = new KeyedSplice(page(items), 'course_id');
    const out = sut.apply(sut.values.map((id) => `,"seats":${id === 'A1' ? 1 : 2}`));
    expect(JSON.parse(out)).toEqual({
      items: [
        { ...items[0], seats: 1 },
        { ...items[1], seats: 2 },
      ],
      next_cursor: 'c1',
    });
    expect(out.startsWith('{"items":[{"course_id":"A1","seats":1,"title"')).toBe(true);
  });

  it.each([
    ['a string that spells the key', { course_id: 'A1', title: '"course_id":"X"' }, ['A1']],
    ['another key ending in the key', { course_id: 'A1', old_course_id: 'Z9' }, ['A1']],
    ['a number under the key', { course_id: 7 }, []],
    ['a value with an escape', { course_id: 'a"b' }, []],
    ['no key at all', { id: 'A1' }, []],
  ])('ignores %s', (_, item, values) => {
    const text = page([item]);
    const sut = new KeyedSplice(text, 'course_id');
    expect(sut.values).toEqual(values);
    expect(JSON.parse(sut.apply(sut.values.map(() => ',"x":1')))).toEqual({
      items: [{ ...item, ...(values.length ? { x: 1 } : {}) }],
      next_cursor: 'c1',
    });
  });

  it('leaves the text as it was for empty inserts and an empty page', () => {
    const text = page([{ course_id: 'A1' }]);
    expect(new KeyedSplice(text, 'course_id').apply([''])).toBe(text);
    expect(new KeyedSplice(page([]), 'course_id').apply([])).toBe(page([]));
  });
});
