import { mulberry32, shuffled } from './zipf';

/** One section of the rush's term: its capacity, and a waitlist when it is a popular one. */
export interface RushSection {
  course_id: string;
  course_code: string;
  capacity: number;
  waitlist_capacity: number;
  popular: boolean;
}

export interface RushPlan {
  term_id: string;
  sections: RushSection[];
  /** The cart of each student (3–4 sections, distinct course codes), by student index. */
  carts: string[][];
}

/** How the term is shaped for `students`: seats for about 1.2 carts' lines each, a few hot sections. */
export interface RushShape {
  students: number;
  seed: number;
  /** Share of each cart's lines drawn from the popular sections. */
  popularBias?: number;
}

export const RUSH_TERM_ID = '2027-SPRING';
const POPULAR_COUNT = 6;
const CREDITS_PER_SECTION = 3; // 4 sections × 3 = 12 credits, under the default limit of 18

/**
 * The sections and the carts of a rush, deterministic for a seed. Regular sections hold 30–60 seats
 * (together ~1.2× the regular lines asked for); the popular ones hold 10–20 with a waitlist of 3×
 * that, and each cart draws ~40 % of its lines from them: they fill in the first instants and their
 * waitlists take the rest (some overflow: WAITLIST_FULL). Every section has its own course code and
 * no meetings, so no rule but capacity ever refuses a line and a promotion is never skipped.
 */
export function planRush({ students, seed, popularBias = 0.4 }: RushShape): RushPlan {
  if (!Number.isInteger(students) || students < 1) throw new Error('students must be ≥ 1');
  const random = mulberry32(seed);
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const popular: RushSection[] = [];
  for (let i = 0; i < POPULAR_COUNT; i++) {
    const capacity = between(10, 20);
    const code = `HOT${String(100 + i)}`;
    popular.push({
      course_id: `${code}-${RUSH_TERM_ID}`,
      course_code: code,
      capacity,
      waitlist_capacity: capacity * 3,
      popular: true,
    });
  }
  // 3.5 lines a cart on average, 60 % regular, seats for 1.2× those lines.
  const regularLines = students * 3.5 * (1 - popularBias);
  const regular: RushSection[] = [];
  for (let seats = 0, i = 0; seats < regularLines * 1.2 || regular.length < 4; i++) {
    const capacity = between(30, 60);
    const code = `REG${String(100 + i)}`;
    regular.push({
      course_id: `${code}-${RUSH_TERM_ID}`,
      course_code: code,
      capacity,
      waitlist_capacity: 0,
      popular: false,
    });
    seats += capacity;
  }
  const carts: string[][] = [];
  for (let s = 0; s < students; s++) {
    const size = random() < 0.5 ? 3 : 4;
    const cart = new Set<string>();
    while (cart.size < size) {
      const pool = random() < popularBias ? popular : regular;
      cart.add(pool[Math.floor(random() * pool.length)].course_id);
    }
    carts.push(shuffled([...cart], random));
  }
  return { term_id: RUSH_TERM_ID, sections: [...popular, ...regular], carts };
}

export const RUSH_CREDITS = CREDITS_PER_SECTION;

/**
 * The enrolled lines to drop after the rush: `popularShare` of each popular section's seats (those
 * have waiters, so each drop is a promotion) and `regularShare` of the rest, deterministic for a seed.
 */
export function pickDrops(
  enrolled: readonly { user: number; course_id: string }[],
  sections: readonly RushSection[],
  seed: number,
  popularShare = 0.3,
  regularShare = 0.05,
): { user: number; course_id: string }[] {
  const popular = new Set(sections.filter((s) => s.popular).map((s) => s.course_id));
  const random = mulberry32(seed);
  const byCourse = new Map<string, { user: number; course_id: string }[]>();
  for (const e of enrolled) byCourse.set(e.course_id, [...(byCourse.get(e.course_id) ?? []), e]);
  const out: { user: number; course_id: string }[] = [];
  for (const [courseId, rows] of [...byCourse].sort(([a], [b]) => a.localeCompare(b))) {
    const share = popular.has(courseId) ? popularShare : regularShare;
    out.push(...shuffled(rows, random).slice(0, Math.round(rows.length * share)));
  }
  return out;
}
