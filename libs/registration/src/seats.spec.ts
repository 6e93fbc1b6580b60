import { SeatCounts, seatStatus, SeatStatus } from './seats';

describe('seatStatus', () => {
  it.each<[string, SeatCounts, number, SeatStatus]>([
    [
      'seats, no waitlist',
      { capacity: 30, enrolled_count: 10, waitlist_capacity: 0, waitlist_count: 0 },
      20,
      'open',
    ],
    [
      'the last seat',
      { capacity: 30, enrolled_count: 29, waitlist_capacity: 5, waitlist_count: 0 },
      1,
      'open',
    ],
    [
      'full, waitlist empty',
      { capacity: 30, enrolled_count: 30, waitlist_capacity: 5, waitlist_count: 0 },
      0,
      'waitlist',
    ],
    [
      'full, waitlist has room',
      { capacity: 30, enrolled_count: 30, waitlist_capacity: 5, waitlist_count: 4 },
      0,
      'waitlist',
    ],
    [
      'full, waitlist full',
      { capacity: 30, enrolled_count: 30, waitlist_capacity: 5, waitlist_count: 5 },
      0,
      'full',
    ],
    [
      'full, no waitlist',
      { capacity: 30, enrolled_count: 30, waitlist_capacity: 0, waitlist_count: 0 },
      0,
      'full',
    ],
    [
      'a freed seat while someone waits',
      { capacity: 30, enrolled_count: 29, waitlist_capacity: 5, waitlist_count: 2 },
      1,
      'waitlist',
    ],
    [
      'a freed seat, nobody waiting eligible (the open marker)',
      {
        capacity: 30,
        enrolled_count: 29,
        waitlist_capacity: 5,
        waitlist_count: 2,
        waitlist_open: true,
      },
      1,
      'open',
    ],
    [
      'a freed seat, waitlist full',
      { capacity: 30, enrolled_count: 29, waitlist_capacity: 2, waitlist_count: 2 },
      1,
      'full',
    ],
    [
      'capacity lowered below enrolled',
      { capacity: 20, enrolled_count: 25, waitlist_capacity: 0, waitlist_count: 0 },
      0,
      'full',
    ],
  ])('%s', (_, counts, seats, status) => {
    expect(seatStatus(counts)).toEqual({
      seats_available: seats,
      waitlist_count: counts.waitlist_count,
      status,
    });
  });
});
