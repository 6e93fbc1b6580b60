import { pickDrops, planRush, RUSH_TERM_ID } from './rush-plan';

describe('planRush', () => {
  const plan = planRush({ students: 1000, seed: 7 });
  const byId = new Map(plan.sections.map((s) => [s.course_id, s]));

  it('gives every student a cart of 3–4 distinct sections of distinct course codes', () => {
    expect(plan.carts).toHaveLength(1000);
    for (const cart of plan.carts) {
      expect(cart.length).toBeGreaterThanOrEqual(3);
      expect(cart.length).toBeLessThanOrEqual(4);
      const codes = cart.map((id) => byId.get(id)!.course_code);
      expect(new Set(codes).size).toBe(cart.length);
    }
  });

  it('has a few small popular sections with waitlists, and realistic regular ones without', () => {
    const popular = plan.sections.filter((s) => s.popular);
    const regular = plan.sections.filter((s) => !s.popular);
    expect(popular).toHaveLength(6);
    for (const s of popular) {
      expect(s.capacity).toBeGreaterThanOrEqual(10);
      expect(s.capacity).toBeLessThanOrEqual(20);
      expect(s.waitlist_capacity).toBe(s.capacity * 3);
    }
    for (const s of regular) {
      expect(s.capacity).toBeGreaterThanOrEqual(30);
      expect(s.capacity).toBeLessThanOrEqual(60);
      expect(s.waitlist_capacity).toBe(0);
    }
    expect(plan.sections.every((s) => s.course_id.endsWith(RUSH_TERM_ID))).toBe(true);
  });

  it('biases the carts toward the popular sections: they are asked far beyond their seats', () => {
    const asks = new Map<string, number>();
    for (const id of plan.carts.flat()) asks.set(id, (asks.get(id) ?? 0) + 1);
    const lines = plan.carts.flat().length;
    const popularLines = plan.carts.flat().filter((id) => byId.get(id)!.popular).length;
    expect(popularLines / lines).toBeGreaterThan(0.3);
    for (const s of plan.sections.filter((x) => x.popular))
      expect(asks.get(s.course_id)!).toBeGreaterThan(s.capacity + s.waitlist_capacity);
    const regularSeats = plan.sections
      .filter((s) => !s.popular)
      .reduce((n, s) => n + s.capacity, 0);
    expect(regularSeats).toBeGreaterThanOrEqual(lines - popularLines);
  });

  it('is deterministic for a seed and differs for another', () => {
    expect(planRush({ students: 50, seed: 7 })).toEqual(planRush({ students: 50, seed: 7 }));
    expect(planRush({ students: 50, seed: 8 }).carts).not.toEqual(
      planRush({ students: 50, seed: 7 }).carts,
    );
  });

  it('refuses a non-positive student count', () => {
    expect(() => planRush({ students: 0, seed: 1 })).toThrow('students');
  });
});

describe('pickDrops', () => {
  const sections = [
    { course_id: 'HOT', course_code: 'HOT', capacity: 10, waitlist_capacity: 30, popular: true },
    { course_id: 'REG', course_code: 'REG', capacity: 40, waitlist_capacity: 0, popular: false },
  ];
  const enrolled = [
    ...Array.from({ length: 10 }, (_, user) => ({ user, course_id: 'HOT' })),
    ...Array.from({ length: 40 }, (_, user) => ({ user, course_id: 'REG' })),
  ];

  it('drops its share of each section, more of the popular ones, only enrolled lines', () => {
    const drops = pickDrops(enrolled, sections, 3);
    expect(drops.filter((d) => d.course_id === 'HOT')).toHaveLength(3);
    expect(drops.filter((d) => d.course_id === 'REG')).toHaveLength(2);
    const keys = new Set(enrolled.map((e) => `${e.user}/${e.course_id}`));
    for (const d of drops) expect(keys.has(`${d.user}/${d.course_id}`)).toBe(true);
    expect(new Set(drops.map((d) => `${d.user}/${d.course_id}`)).size).toBe(drops.length);
  });
});
