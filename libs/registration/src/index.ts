// Registration rules as pure functions (DESIGN §8): eligibility, the term calendar, meetings.
// No I/O: the services load the inputs, call these, and write what they allow.
export * from './cart';
export * from './eligibility';
export * from './meetings';
export * from './registration.types';
export * from './seats';
export * from './terms';
export * from './waitlist';
