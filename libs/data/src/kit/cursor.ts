import { Inject, Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError, httpConfig } from '@app/common';
import type { HttpConfig } from '@app/common';

export class InvalidCursor extends DomainError {
  constructor() {
    super('INVALID_CURSOR', 'cursor is malformed or was not issued for this query');
  }
}
const invalid = () => new InvalidCursor();

/**
 * What a cursor is bound to: the access pattern's name and every value that selects its items,
 * in a fixed order (null for one left out). Signed as JSON, so values containing any separator
 * cannot make two queries look alike (`["RPC:A","B"]` is not `["RPC","A:B"]`).
 */
export type CursorScope = readonly [pattern: string, ...values: (string | null)[]];

/**
 * Opaque, tamper-evident pagination cursors: base64url(JSON of the LastEvaluatedKey) + HMAC-SHA256
 * over it and the query's scope, so a cursor cannot be edited or replayed against another query.
 */
@Injectable()
export class CursorCodec {
  private readonly secret: string;

  constructor(@Inject(httpConfig.KEY) http: Pick<HttpConfig, 'cursorSecret'>) {
    this.secret = http.cursorSecret;
  }

  encode(lastEvaluatedKey: Record<string, unknown> | undefined, scope: CursorScope): string | null {
    if (!lastEvaluatedKey) return null;
    const body = Buffer.from(JSON.stringify(lastEvaluatedKey)).toString('base64url');
    return `${body}.${this.sign(body, scope)}`;
  }

  decode(cursor: string | undefined, scope: CursorScope): Record<string, unknown> | undefined {
    if (cursor === undefined) return undefined;
    const [body, mac, extra] = cursor.split('.');
    if (!body || !mac || extra !== undefined) throw invalid();
    const expected = Buffer.from(this.sign(body, scope));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    try {
      const key: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
      return key as Record<string, unknown>;
    } catch {
      throw invalid();
    }
  }

  private sign(body: string, scope: CursorScope): string {
    return createHmac('sha256', this.secret)
      .update(`${JSON.stringify(scope)}\n${body}`)
      .digest('base64url');
  }
}
