// What must hold after every rejected request, and the before/after views of Redis and DynamoDB.
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Redis } from 'ioredis';
import type { RawResponse } from '../three-apps';
import type { Case } from './fuzz-defects';

const ERROR_BODY_KEYS = ['code', 'error', 'message', 'statusCode'];

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

/** Problems with a response to a request that had to be rejected, as readable lines (empty: all good). */
export function rejectionProblems(
  c: Case,
  res: RawResponse,
  opts: { expectation: boolean },
): string[] {
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`5xx: got ${res.status}`);
  else if (res.status < 400) problems.push(`not rejected: got ${res.status}`);
  const body = res.json as Record<string, unknown> | undefined;
  const shaped =
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    Object.keys(body).sort().join() === ERROR_BODY_KEYS.join() &&
    body.statusCode === res.status &&
    typeof body.error === 'string' &&
    typeof body.message === 'string' &&
    typeof body.code === 'string' &&
    body.code.length > 0;
  if (res.status >= 400 && !shaped)
    problems.push('body is not { statusCode, error, code, message } with a non-empty code');
  if (opts.expectation) {
    const { status, codes, message } = c.expect;
    if (!status.includes(res.status))
      problems.push(`expected status ${status.join(' or ')}, got ${res.status}`);
    if (codes && !codes.includes(String(body?.code)))
      problems.push(`expected code ${codes.join(' or ')}, got ${String(body?.code)}`);
    if (message && !message.test(String(body?.message)))
      problems.push(
        `expected the message to match ${message}, got ${JSON.stringify(body?.message)}`,
      );
  }
  return problems;
}

/** Responses to requests with credentials must never be stored by a shared cache. */
export function cacheControlProblems(res: RawResponse): string[] {
  const value = String(res.headers['cache-control'] ?? '');
  const directives = value.split(',').map((d) => d.trim().toLowerCase());
  return directives.includes('private') && directives.includes('no-store')
    ? []
    : [`expected Cache-Control: private, no-store, got ${value ? JSON.stringify(value) : 'none'}`];
}

export function describeResponse(res: RawResponse): string {
  const headers = ['content-type', 'cache-control', 'x-cache']
    .filter((h) => res.headers[h] !== undefined)
    .map((h) => `${h}: ${String(res.headers[h])}`)
    .join('; ');
  return `${res.status} ${clip(res.text)}${headers ? ` [${headers}]` : ''}`;
}

/**
 * The keys under the file's cache prefix, on a redis-server of the file's own. The baseline is
 * taken once the warm-up is done; a key a request adds is reported and deleted again, so the
 * next request (and fast-check's replays while shrinking) start from the same state.
 */
export class CacheKeyWatch {
  private baseline = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async keys(): Promise<Set<string>> {
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(
        cursor,
        'MATCH',
        `${this.prefix}:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      for (const k of batch) found.add(k);
    } while (cursor !== '0');
    return found;
  }

  async takeBaseline(): Promise<Set<string>> {
    this.baseline = await this.keys();
    return this.baseline;
  }

  /**
   * Keys created since the baseline, after putting them back out of the way. Keys that disappear
   * are not a problem: baseline entries expire by their TTL (seconds, for index-lag entries).
   */
  async problems(): Promise<string[]> {
    const now = await this.keys();
    const added = [...now].filter((k) => !this.baseline.has(k));
    // Rate-limit counters count write attempts, rejected ones included (a client sending garbage
    // writes is throttled too); they must expire, and are then forgotten like any other key.
    const counters = added.filter((k) => k.startsWith(`${this.prefix}:rl:`));
    const immortal: string[] = [];
    for (const k of counters) if ((await this.redis.pttl(k)) <= 0) immortal.push(k);
    if (added.length > 0) await this.redis.unlink(...added);
    const created = [...added.filter((k) => !counters.includes(k)), ...immortal];
    return created.length > 0
      ? [
          `Redis keys created: ${created.map((k) => clip(k.slice(this.prefix.length), 120)).join(', ')}`,
        ]
      : [];
  }
}

/** Every item of every table, in a stable order: the suite's tables hold a few dozen rows. */
export async function snapshotTables(
  doc: DynamoDBDocumentClient,
  tables: Record<string, string>,
): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const [name, table] of Object.entries(tables)) {
    const items: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }),
      );
      for (const item of page.Items ?? []) items.push(stableJson(item));
      start = page.LastEvaluatedKey;
    } while (start);
    snapshot[name] = items.sort();
  }
  return snapshot;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Set) return stableJson([...value].sort());
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
