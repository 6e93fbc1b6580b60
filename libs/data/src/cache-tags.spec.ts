import { Tags } from './cache-tags';

describe('Tags', () => {
  it('names every tag of the domain distinctly', () => {
    const tags = [
      Tags.course('1'),
      Tags.semester('1'),
      Tags.instructor('1'),
      Tags.instructorLists(),
      Tags.seats('1'),
      Tags.userEnrollments('1'),
      Tags.user('1'),
      Tags.roster('1'),
    ];
    expect(new Set(tags).size).toBe(tags.length);
  });
});
