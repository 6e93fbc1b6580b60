import { Counter, Gauge, Histogram, register } from 'prom-client';

// Metrics live in prom-client's default registry. Several Nest apps may be created in one
// process (tests, the benchmark), so a metric is looked up before it is created.

export function counter<T extends string>(
  name: string,
  help: string,
  labelNames: readonly T[] = [],
): Counter<T> {
  return (register.getSingleMetric(name) as Counter<T>) ?? new Counter({ name, help, labelNames });
}

/** `collect`, when given, runs on every scrape and sets the value then. */
export function gauge<T extends string>(
  name: string,
  help: string,
  labelNames: readonly T[] = [],
  collect?: (this: Gauge<T>) => void,
): Gauge<T> {
  return (
    (register.getSingleMetric(name) as Gauge<T>) ??
    new Gauge({ name, help, labelNames, ...(collect ? { collect } : {}) })
  );
}

export function histogram<T extends string>(
  name: string,
  help: string,
  labelNames: readonly T[] = [],
  buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
): Histogram<T> {
  return (
    (register.getSingleMetric(name) as Histogram<T>) ??
    new Histogram({ name, help, labelNames, buckets })
  );
}
