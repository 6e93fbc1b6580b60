import { CircuitBreaker } from './circuit-breaker';

describe('CircuitBreaker', () => {
  let now = 0;
  const sut = () => new CircuitBreaker({ failureThreshold: 2, coolDownMs: 1000, now: () => now });
  beforeEach(() => (now = 0));

  it('opens after consecutive failures and skips calls during the cool-down', () => {
    const b = sut();
    b.failure();
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.allow()).toBe(false);
    now = 999;
    expect(b.allow()).toBe(false);
  });

  it('lets exactly one probe through after the cool-down; its success closes the circuit', () => {
    const b = sut();
    b.failure();
    b.failure();
    now = 1000;
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false);
    b.success();
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(true);
  });

  it('re-opens when the probe fails', () => {
    const b = sut();
    b.failure();
    b.failure();
    now = 1000;
    expect(b.allow()).toBe(true);
    b.failure();
    now = 1500;
    expect(b.allow()).toBe(false);
    now = 2000;
    expect(b.allow()).toBe(true);
  });

  it('a success resets the failure count', () => {
    const b = sut();
    b.failure();
    b.success();
    b.failure();
    expect(b.allow()).toBe(true);
  });
});
