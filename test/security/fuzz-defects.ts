// Generators of hostile requests. Each family turns a route's harmless base request into one that
// carries one defect of its kind, and says how the API must reject it.
import fc from 'fast-check';
import type { AppName } from '../three-apps';
import type { ForgedToken } from './forged-tokens';
import {
  ANY_REJECTION,
  baseDraft,
  CallerName,
  CALLERS,
  Draft,
  draftPath,
  Expectation,
  FieldKind,
  isServed,
  pct,
  rejectWith,
  Role,
  Route,
  ROUTES,
} from './fuzz-routes';

export interface Defect {
  label: string;
  apply: (d: Draft) => Draft;
  expect: Expectation;
}

/** One generated request: the draft with its defects applied and what the API must answer. */
export interface Case {
  label: string;
  draft: Draft;
  expect: Expectation;
}

/** A page request the suite holds a real next_cursor for. */
export interface CursorSlot {
  /** What the query means; a cursor replayed on a slot with another meaning is cross-scope. */
  scope: string;
  route: Route;
  params: Record<string, string>;
  query: Record<string, string>;
  caller?: CallerName;
  cursor: string;
}

export interface Fixtures {
  tokens: Record<CallerName, string>;
  forged: Record<Role, ForgedToken[]>;
  cursorSlots: CursorSlot[];
}

export type Family = (route: Route, fx: Fixtures) => fc.Arbitrary<Defect> | undefined;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
// prettier-ignore
export const BUILTIN_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'] as const;
const BODY_LIMIT_BYTES = 100 * 1024;
const DEPTH_LIMIT = 10;

const VALIDATION_FAILED = rejectWith(400, 'VALIDATION_FAILED');
const MALFORMED_JSON = rejectWith(400, 'MALFORMED_JSON');
const INVALID_CURSOR = rejectWith(400, 'INVALID_CURSOR');
const NOT_FOUND = rejectWith(404, 'NOT_FOUND');

const defect = (label: string, expect: Expectation, apply: (d: Draft) => Draft): Defect => ({
  label,
  expect,
  apply,
});
const clip = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);
const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

// ---------------------------------------------------------------------------------------------
// Values

/** Strings outside the id alphabet: traversal, separators, NUL, look-alikes, edge lengths, random unicode. */
export const invalidIdString = (): fc.Arbitrary<string> =>
  fc.oneof(
    // prettier-ignore
    fc.constantFrom(
      '', '.', '..', '../etc/passwd', '..\\..\\boot.ini', 'a/b', '/', '%2F', '%00', 'CS101\u0000', '\u0000',
      'CS101 ', ' CS101', 'CS 101', 'CS101\n', 'CS101\r\nX-Injected: 1', '_CS101', '-CS101', ':CS101', '.hidden',
      'ÇS101', '\u0421S101' /* Cyrillic Es */, 'CS101\u202e', 'CS101\u200b', 'CS101\ufeff', 'CS101;DROP TABLE',
      "CS101' OR '1'='1", '<script>alert(1)</script>', '${jndi:ldap://x}', '{{7*7}}', '💩', 'CS101#frag', 'CS101?x=1',
      'CS101*', 'CS101&a=b', 'A'.repeat(65), `${'A'.repeat(64)}\u0000`,
    ),
    fc.integer({ min: 65, max: 3000 }).map((n) => 'A'.repeat(n)),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }).filter((s) => !ID_PATTERN.test(s)),
    fc
      .tuple(
        fc.stringMatching(/^[A-Za-z0-9]{1,10}$/),
        fc.constantFrom('/', '\\', ' ', '\u0000', '%', '#', '?', '"', '\u00e9', '\u2028', '$', '*'),
      )
      .map(([id, bad]) => `${id}${bad}${id}`),
  );

// prettier-ignore
const HOSTILE_JSON_VALUES: unknown[] = [
  null, true, false, 0, -1, 1e308, '', 'x', [], {}, { $ne: null }, { $gt: '' }, { role: 'admin' },
  { course_id: 'CS101-2026-FALL' }, { polluted: true }, [null], ['admin'],
];

/** Any JSON value at all, including the ones that look like query operators or prototype payloads. */
const hostileJsonValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(fc.constantFrom(...HOSTILE_JSON_VALUES), fc.jsonValue({ maxDepth: 2 }));

// prettier-ignore
const BAD_COURSE_CODES = ['', 'CS_101', 'CS 101', 'CS.101', 'ÇS101', '💩', 'A'.repeat(17), 'CS101\u0000'];

// prettier-ignore
const BAD_ISO_TIMES = ['', 'next week', '2026-09-20 23:59:59', '2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '20260920', 'T23:59', '2026-09-20T25:00:00Z'];

/** Values a field of this kind must refuse: wrong types, null, bad strings, numbers out of range. */
function invalidFieldValue(kind: FieldKind): fc.Arbitrary<unknown> {
  const wrongTypes = fc.constantFrom<unknown>(null, true, false, [], {}, [null], { $ne: null });
  const notStrings = fc.oneof(
    wrongTypes,
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.constantFrom<unknown>(['CS101-2026-FALL'], { toString: 'x' }),
  );
  const notIntegers = fc.oneof(
    wrongTypes,
    fc.constantFrom<unknown>('30', '3', '', '1e2', 'NaN', 'Infinity', [30], { valueOf: 30 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
  );
  switch (kind) {
    case 'id':
      return fc.oneof(notStrings, invalidIdString());
    case 'course_code':
      return fc.oneof(notStrings, fc.constantFrom(...BAD_COURSE_CODES));
    case 'title':
      return fc.oneof(
        notStrings,
        fc.constantFrom(''),
        fc.integer({ min: 201, max: 20_000 }).map((n) => 't'.repeat(n)),
      );
    case 'description':
      return fc.oneof(
        notStrings,
        fc.integer({ min: 4001, max: 40_000 }).map((n) => 'd'.repeat(n)),
      );
    case 'capacity':
      return fc.oneof(
        notIntegers,
        fc.constantFrom(0, -0, -1, 1001, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308),
        fc.integer({ max: 0 }),
        fc.integer({ min: 1001 }),
      );
    case 'credits':
      return fc.oneof(
        notIntegers,
        fc.constantFrom(-1, 31, 2 ** 53, 1e308),
        fc.integer({ max: -1 }),
        fc.integer({ min: 31 }),
      );
    case 'iso_time':
      return fc.oneof(notStrings, fc.constantFrom(...BAD_ISO_TIMES));
    case 'max_credits':
      return fc.oneof(
        notIntegers,
        fc.constantFrom(0, -1, 41, 2 ** 53),
        fc.integer({ max: 0 }),
        fc.integer({ min: 41 }),
      );
    case 'course_codes':
      return fc.oneof(
        fc.constantFrom<unknown>(null, true, 'CS101', {}, { 0: 'CS101' }, 7),
        fc.constantFrom(...BAD_COURSE_CODES).map((c) => ['CS101', c]),
        fc.constantFrom<unknown>([1], [null], [['CS101']], ['CS101', 'CS101']),
        fc.integer({ min: 201, max: 400 }).map((n) => Array.from({ length: n }, (_, i) => `C${i}`)),
      );
    case 'course_ids':
      return fc.constantFrom<unknown>(
        null,
        true,
        'CS101-2026-FALL',
        {},
        7,
        [1],
        [null],
        [['CS101-2026-FALL']],
        ['CS101-2026-FALL', 'CS101-2026-FALL'],
        ['bad id!'],
        [''],
      );
    case 'hold_code':
      return fc.oneof(
        notStrings,
        fc.constantFrom('', 'lower', 'A'.repeat(33), 'BURSAR-1', ' X', '1ABC'),
      );
    case 'permit_type':
      return fc.oneof(
        notStrings,
        fc.constantFrom('', 'capacity', 'HOLD', 'WINDOW ', 'CAPACITY,WINDOW'),
      );
    case 'boolean':
      return fc.constantFrom<unknown>(null, 'true', 'false', 1, 0, '', [], {}, [true]);
    case 'reason':
      return fc.oneof(
        notStrings,
        fc.constantFrom(''),
        fc.integer({ min: 501, max: 20_000 }).map((n) => 'r'.repeat(n)),
      );
  }
}

/** JSON object text from key/value-text pairs: the only way to send an own `__proto__` key or a raw value. */
const objectText = (entries: Array<[string, string]>) =>
  `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
const bodyEntries = (route: Route): Array<[string, string]> =>
  Object.entries(route.body ?? {}).map(([k, v]) => [k, JSON.stringify(v)]);

const withBody =
  (body: string | Buffer, headers: Record<string, string> = {}) =>
  (d: Draft): Draft => ({
    ...d,
    body,
    headers: { ...d.headers, 'content-type': 'application/json', ...headers },
  });

// ---------------------------------------------------------------------------------------------
// Bodies the JSON parser must refuse

// prettier-ignore
const MALFORMED_TEXTS = [
  '{"course_id":', '{', '}', '[', '{"course_id":"CS101-2026-FALL"', '{"a":1,}', '[1,2,]', "{'course_id':'CS101-2026-FALL'}",
  '{course_id:"CS101-2026-FALL"}', '{"a":NaN}', '{"a":Infinity}', '{"a":-Infinity}', '{"a":undefined}', '{"a":01}', '{"a":.5}',
  '{"a":"\\x41"}', '{"a":"\\u12"}', '{"a":"tab\there"}', '{"a":"nul\u0000here"}', '{"a":"line\nbreak"}', '{"a":1}{"b":2}',
  '{"a":1}]', '{"a" 1}', '{"a":1 "b":2}', '{"a":tru}', '{"a":nul}', '{"__proto__":}', '{"a":"unterminated}', '{"a":[}',
  '<?xml version="1.0"?><course/>', 'course_id=CS101-2026-FALL', '{"a":1}//comment', '/*c*/{"a":1}', '{"a":0x10}',
  '{"a":+1}', '{"a":"\\ud800"x}', '{"course_id":[[[[[', '{"a":{"b":{"c":',
];

/** Text that is not JSON: curated breakages, truncated real bodies, random bytes. */
const malformedJsonText = (route: Route): fc.Arbitrary<string | Buffer> => {
  const real = JSON.stringify(route.body ?? { course_id: 'CS101-2026-FALL', limit: 5 });
  return fc.oneof(
    fc.constantFrom(...MALFORMED_TEXTS),
    fc
      .integer({ min: 1, max: real.length - 1 })
      .map((n) => real.slice(0, n))
      .filter((t) => !isJson(t) && t.trim().length > 0),
    fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((a) => Buffer.from(a))
      .filter((b) => b.toString('utf8').trim().length > 0 && !isJson(b.toString('utf8'))),
    fc
      .string({ unit: 'binary', minLength: 1, maxLength: 40 })
      .map((s) => `{"course_id":"${s}`)
      .filter((t) => !isJson(t)),
  );
};

export const malformedBody: Family = (route) =>
  fc.oneof(
    malformedJsonText(route).map((text) =>
      defect(
        `malformed JSON body ${clip(JSON.stringify(text.toString()))}`,
        MALFORMED_JSON,
        withBody(text),
      ),
    ),
    fc
      .constantFrom('latin1', 'iso-8859-1', 'us-ascii', 'windows-1252', 'ebcdic', 'x-unknown')
      .map((charset) =>
        defect(
          `JSON body in charset ${charset}`,
          rejectWith(415, 'UNSUPPORTED_MEDIA_TYPE'),
          withBody(JSON.stringify(route.body ?? {}), {
            'content-type': `application/json; charset=${charset}`,
          }),
        ),
      ),
    fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown').map((encoding) =>
      // Not compressed at all: inflating it must fail as a client error.
      defect(
        `Content-Encoding ${encoding} on a plain body`,
        rejectWith([400, 415]),
        withBody(JSON.stringify(route.body ?? {}), { 'content-encoding': encoding }),
      ),
    ),
  );

// ---------------------------------------------------------------------------------------------
// Deep nesting

const nestedArrays = (depth: number, inner = '') =>
  `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
const nestedObjects = (depth: number, key: string, inner = '1') =>
  `${`{${JSON.stringify(key)}:`.repeat(depth)}${inner}${'}'.repeat(depth)}`;
const nestedMixed = (depth: number) => {
  let text = '"x"';
  for (let i = 0; i < depth; i++) text = i % 2 ? `[${text}]` : `{"a":${text}}`;
  return text;
};

const nestingDepth = fc.oneof(
  fc.integer({ min: DEPTH_LIMIT + 1, max: DEPTH_LIMIT + 10 }),
  fc.integer({ min: 20, max: 5000 }),
);

/** A field (known or not) or the whole body holding arrays and objects nested past the limit. */
export const deepBody: Family = (route) => {
  if (!route.bodyFields) return undefined;
  const field = fc.oneof(
    fc.constantFrom(...Object.keys(route.bodyFields)),
    fc.constantFrom('nested', 'a', '__proto__', 'constructor'),
  );
  const mustNameLimit = rejectWith(400, 'VALIDATION_FAILED', new RegExp(`\\b${DEPTH_LIMIT}\\b`));
  return fc.oneof(
    // The brief's own example, verbatim.
    fc.constant(
      defect(
        'course_id holding 5000 nested arrays',
        mustNameLimit,
        withBody(`{"course_id":${nestedArrays(5000)}}`),
      ),
    ),
    fc
      .record({ field, depth: nestingDepth, shape: fc.constantFrom('arrays', 'objects', 'mixed') })
      .map(({ field: f, depth: wanted, shape }) => {
        // Objects repeat the key at every level: keep the text under the body limit, so the answer
        // is the depth's 400 and not the size's 413 (a long field name 5000 deep is over 100 kB).
        const depth =
          shape === 'objects'
            ? Math.min(wanted, Math.floor(BODY_LIMIT_BYTES / 2 / (JSON.stringify(f).length + 2)))
            : wanted;
        const nested =
          shape === 'arrays'
            ? nestedArrays(depth)
            : shape === 'objects'
              ? nestedObjects(depth, f)
              : nestedMixed(depth);
        const entries = bodyEntries(route).filter(([k]) => k !== f);
        return defect(
          `${f} holding ${shape} nested ${depth} deep`,
          mustNameLimit,
          withBody(objectText([...entries, [f, nested]])),
        );
      }),
    nestingDepth.map((depth) =>
      defect(
        `the whole body wrapped in ${depth} arrays`,
        mustNameLimit,
        withBody(nestedArrays(depth, JSON.stringify(route.body))),
      ),
    ),
  );
};

// ---------------------------------------------------------------------------------------------
// Oversize bodies

/** Well-formed or not, anything over the body limit is refused before it is parsed. */
export const oversizeBody: Family = (route) =>
  fc
    .record({
      bytes: fc.integer({ min: BODY_LIMIT_BYTES + 8 * 1024, max: 4 * BODY_LIMIT_BYTES }),
      filler: fc.constantFrom('x', 'é', '💩', '\u0000', ' '),
      shape: fc.constantFrom('description', 'unknown field', 'array', 'not JSON'),
    })
    .map(({ bytes, filler, shape }) => {
      // Sized by the bytes on the wire: a NUL costs six once JSON-escaped, an emoji four.
      const fillFor = (escaped: boolean) =>
        filler.repeat(
          Math.ceil(
            bytes / Buffer.byteLength(escaped ? JSON.stringify(filler).slice(1, -1) : filler),
          ),
        );
      const text =
        shape === 'description'
          ? JSON.stringify({ ...route.body, description: fillFor(true) })
          : shape === 'unknown field'
            ? objectText([...bodyEntries(route), ['padding', JSON.stringify(fillFor(true))]])
            : shape === 'array'
              ? `[${'1,'.repeat(bytes / 2)}1]`
              : `{${fillFor(false)}`;
      return defect(
        `${Math.round(Buffer.byteLength(text) / 1024)} KB body (${shape}, filler ${JSON.stringify(filler)})`,
        rejectWith(413, 'PAYLOAD_TOO_LARGE'),
        withBody(text),
      );
    });

// ---------------------------------------------------------------------------------------------
// Body fields

// prettier-ignore
const MASS_ASSIGNMENT_FIELDS = [
  'enrolled_count', 'version', 'created_at', 'updated_at', 'user_id', 'role', 'sub', 'dept_code', 'semester_code',
  'enrollment_id', 'pending_shard', 'course_id', 'course_code', 'semester_id', 'department_id', 'instructor_id', 'capacity',
];

/** Near misses of declared names, operators, paths and more of Object.prototype. */
// prettier-ignore
const ODD_FIELD_NAMES = ['course_id ', 'COURSE_ID', 'course_id\u0000', '', ' ', '$where', 'a.b', 'a[b]', '__defineGetter__', 'isPrototypeOf'];

/** Fields the DTO does not declare, prototype and built-in names among them. */
export const unknownBodyField: Family = (route) => {
  if (!route.bodyFields) return undefined;
  const declared = new Set(Object.keys(route.bodyFields));
  const name = fc
    .oneof(
      fc.constantFrom(...BUILTIN_KEYS),
      fc.constantFrom(...MASS_ASSIGNMENT_FIELDS.filter((f) => !declared.has(f))),
      fc.constantFrom(...ODD_FIELD_NAMES),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
    )
    .filter((n) => !declared.has(n));
  return fc.oneof(
    fc
      .record({
        names: fc.uniqueArray(name, { minLength: 1, maxLength: 4 }),
        value: hostileJsonValue(),
      })
      .map(({ names, value }) =>
        defect(
          `unknown body field(s) ${names.map((n) => JSON.stringify(clip(n, 30))).join(', ')}`,
          VALIDATION_FAILED,
          withBody(
            objectText([
              ...bodyEntries(route),
              ...names.map((n): [string, string] => [n, JSON.stringify(value) ?? 'null']),
            ]),
          ),
        ),
      ),
    // The declared fields hidden one level down, where a careless merge would pick them up.
    fc
      .constantFrom(...BUILTIN_KEYS)
      .map((key) =>
        defect(
          `the whole body inside ${key}`,
          VALIDATION_FAILED,
          withBody(objectText([[key, JSON.stringify(route.body)]])),
        ),
      ),
    fc.constant(
      defect(
        'constructor.prototype carrying the body',
        VALIDATION_FAILED,
        withBody(
          objectText([['constructor', objectText([['prototype', JSON.stringify(route.body)]])]]),
        ),
      ),
    ),
  );
};

/** Declared fields holding the wrong type, null, a bad string or an out-of-range number; required fields left out; a body that is not an object. */
export const badBodyValue: Family = (route) => {
  if (!route.bodyFields) return undefined;
  const fields = Object.entries(route.bodyFields);
  const arbs: fc.Arbitrary<Defect>[] = [
    ...fields.map(([field, kind]) =>
      invalidFieldValue(kind).map((value) => {
        const entries = bodyEntries(route).filter(([k]) => k !== field);
        const text = JSON.stringify(value) ?? 'null';
        return defect(
          `${field} = ${clip(text)}`,
          VALIDATION_FAILED,
          withBody(objectText([...entries, [field, text]])),
        );
      }),
    ),
    fc
      .constantFrom('[]', '[{}]', `[${JSON.stringify(route.body)}]`, '"x"', '123', 'null', 'true')
      .map((text) =>
        defect(
          `the body is ${clip(text)}, not an object`,
          rejectWith(400, ['VALIDATION_FAILED', 'MALFORMED_JSON']),
          withBody(text),
        ),
      ),
    fc
      .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/jsonp')
      .map((type) =>
        // The JSON parser skips such a body, so the route sees none: a 415, or whatever 400 an absent body earns there.
        defect(
          `JSON body sent as ${type}`,
          rejectWith([400, 415]),
          withBody(JSON.stringify(route.body), { 'content-type': type }),
        ),
      ),
  ];
  const required = route.requiredBodyFields ?? [];
  if (required.length > 0) {
    arbs.push(
      fc
        .subarray([...required], { minLength: 1 })
        .map((missing) =>
          defect(
            `required field(s) ${missing.join(', ')} left out`,
            VALIDATION_FAILED,
            withBody(objectText(bodyEntries(route).filter(([k]) => !missing.includes(k)))),
          ),
        ),
      fc.constant(defect('an empty object', VALIDATION_FAILED, withBody('{}'))),
    );
  }
  if (route.name === 'POST /api/enrollments') {
    const badKey = fc.oneof(
      // prettier-ignore
      fc.constantFrom('', 'short', 'has space inside', 'a'.repeat(129), 'key/with/slash', 'k\u00e9y-latin1', 'key\twith-a-tab', 'key,comma'),
      fc.string({ minLength: 1, maxLength: 7 }),
    );
    arbs.push(
      badKey.map((key) =>
        defect(
          `Idempotency-Key ${JSON.stringify(key)}`,
          rejectWith(400, ['INVALID_IDEMPOTENCY_KEY', 'VALIDATION_FAILED']),
          (d) => ({
            ...d,
            headers: { ...d.headers, 'idempotency-key': key },
          }),
        ),
      ),
    );
  }
  return fc.oneof(...arbs);
};

// ---------------------------------------------------------------------------------------------
// Query parameters

const setQuery =
  (name: string, values: Array<string | undefined>) =>
  (d: Draft): Draft => ({
    ...d,
    query: [
      ...d.query.filter(([k]) => k !== name),
      ...values.map((v): [string, string | undefined] => [name, v]),
    ],
  });

/** Bracket and dot syntax (objects and arrays to an extended parser), operators, tempting words. */
// prettier-ignore
const ODD_PARAM_NAMES = ['__proto__[role]', 'constructor[prototype][polluted]', 'limit[]', 'semester_id[0]', 'a[b]', 'a.b', '$where', 'x', 'callback', 'access_token', 'token', 'sort', 'debug'];

const unknownParamName = (route: Route) =>
  fc
    .oneof(
      fc.constantFrom(...BUILTIN_KEYS).map((k) => pct(k)),
      fc.constantFrom(...BUILTIN_KEYS).map((k) => k.replace(/_/g, '%5F')),
      fc.constantFrom(...ODD_PARAM_NAMES),
      // Parameters of other routes, and near misses of this route's own.
      fc.constantFrom(...ROUTES.flatMap((r) => r.queryFields), 'course_id', 'user_id', 'role'),
      fc.constantFrom('LIMIT', 'Limit', 'limit%20', '%20limit', 'limit%00', 'cursor%00', ''),
      fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(pct),
      fc.integer({ min: 100, max: 2000 }).map((n) => 'p'.repeat(n)),
    )
    // Names equal to a parameter the route does take are not unknown (compared decoded).
    .filter((name) => {
      try {
        return !route.queryFields.includes(decodeURIComponent(name));
      } catch {
        return true;
      }
    });

const paramValue = fc.oneof(
  fc.constant<string | undefined>(undefined),
  fc.constantFrom('', '1', 'true', 'admin', '%00', '..%2F..', '%7B%22%24ne%22%3Anull%7D'),
  fc.string({ unit: 'binary', maxLength: 30 }).map(pct),
  fc.integer({ min: 100, max: 2000 }).map((n) => 'v'.repeat(n)),
);

/** Parameters the route does not take, from plain words to prototype names and 3 KB names. */
export const unknownQueryParam: Family = (route) =>
  fc
    .uniqueArray(fc.tuple(unknownParamName(route), paramValue), {
      minLength: 1,
      maxLength: 6,
      selector: ([n]) => n,
    })
    // A bare empty name is an empty segment, which parsers skip: give it a value so it is a parameter.
    .map((extra) =>
      extra.map(([n, v]): [string, string | undefined] => [
        n,
        n === '' && v === undefined ? '' : v,
      ]),
    )
    .map((extra) =>
      defect(
        `unknown query parameter(s) ${extra.map(([n]) => clip(n, 30)).join(', ')}`,
        VALIDATION_FAILED,
        (d) => ({ ...d, query: [...d.query, ...extra] }),
      ),
    );

// prettier-ignore
const INVALID_LIMITS = ['0', '-1', '101', '1000000', '1.5', '2.0e1x', 'abc', '', 'NaN', 'Infinity', '-Infinity', 'null', 'true', '[]', '%00', '5%00', '9'.repeat(400), '1e400', '0x', '--1', '%E2%80%8B5'];

/** Parameters the route takes, holding values it must refuse, repeated, or (when required) missing. */
export const badQueryValue: Family = (route) => {
  if (route.queryFields.length === 0) return undefined;
  const arbs: fc.Arbitrary<Defect>[] = route.queryFields.map((field) => {
    if (field === 'limit') {
      return fc.oneof(
        fc
          .constantFrom(...INVALID_LIMITS)
          .map((v) => defect(`limit=${clip(v)}`, VALIDATION_FAILED, setQuery('limit', [v]))),
        fc.constant(defect('limit repeated', VALIDATION_FAILED, setQuery('limit', ['5', '5']))),
        fc.constant(
          defect('limit without a value', VALIDATION_FAILED, setQuery('limit', [undefined])),
        ),
      );
    }
    if (field === 'cursor') {
      const tooLong = rejectWith(400, ['VALIDATION_FAILED', 'INVALID_CURSOR']);
      return fc.oneof(
        fc
          .integer({ min: 2049, max: 6000 })
          .map((n) =>
            defect(
              `cursor of ${n} chars`,
              tooLong,
              setQuery('cursor', [`${'a'.repeat(n - 44)}.${'b'.repeat(43)}`]),
            ),
          ),
        fc.constant(defect('cursor repeated', tooLong, setQuery('cursor', ['a.b', 'c.d']))),
      );
    }
    return fc.oneof(
      invalidIdString().map((v) =>
        defect(`${field}=${clip(JSON.stringify(v))}`, VALIDATION_FAILED, setQuery(field, [pct(v)])),
      ),
      fc.constant(
        defect(
          `${field} repeated`,
          VALIDATION_FAILED,
          setQuery(field, [pct(route.query[field] ?? 'CS'), pct(route.query[field] ?? 'CS')]),
        ),
      ),
    );
  });
  if (route.name === 'GET /api/courses') {
    arbs.push(
      fc.constant(
        defect('required semester_id left out', VALIDATION_FAILED, setQuery('semester_id', [])),
      ),
    );
  }
  return fc.oneof(...arbs);
};

// ---------------------------------------------------------------------------------------------
// Path parameters

/** Segments that are not valid percent-encoding or not valid UTF-8 once decoded. */
// prettier-ignore
const MALFORMED_SEGMENTS = ['%', '%G1', '%2', '%E0%A4%A', '%C0%AE%C0%AE', '%FF', '%ED%A0%80', '%F4%90%80%80', 'CS101%'];
/** Encoded forms the decoder turns into separators, traversal or invisible characters. */
// prettier-ignore
const ENCODED_SEGMENTS = ['..', '.', '%2e%2e', '%2E%2E', '..%2F..%2Fetc%2Fpasswd', '%2F', 'a%2Fb', '%5C', '..%5C..', '%00', 'CS101-2026-FALL%00', 'CS101-2026-FALL%00.json', '%C3%A9', '%F0%9F%92%A9', '%E2%80%AE', '%EF%BC%8F', '%D0%A1S101-2026-FALL', '%20CS101-2026-FALL', 'CS101-2026-FALL%20', '%0A', '%0D%0ASet-Cookie:%20x', '%25', '%252F', '%2A', "CS101'--", '<x>', '{{x}}', '$%7Bx%7D'];
/** An empty segment or literal slashes change the route: no route at all, or one whose params fail validation. */
// prettier-ignore
const TRAVERSALS = ['', 'a/..', '../..', '../../health/live', 'CS101-2026-FALL/..', './CS101-2026-FALL', '..//..'];

/**
 * Whether a traversal in a path parameter lands on another route the app serves as is (`/api/terms/`
 * and `/api/terms/a/..` are the term list): that answer is right, not a defect.
 */
function leadsToServedRoute(route: Route, name: string, raw: string): boolean {
  const path = route.template.replace(/:(\w+)/g, (_, n: string) =>
    n === name ? raw : route.params[n],
  );
  const resolved = new URL(path, 'http://x').pathname.replace(/(.)\/+$/, '$1');
  // A route whose base request needs no query answers that path without one.
  return ROUTES.some(
    (r) =>
      r !== route &&
      r.method === route.method &&
      r.template === resolved &&
      Object.keys(r.query).length === 0,
  );
}

export const badPathParam: Family = (route) => {
  const names = Object.keys(route.params);
  if (names.length === 0) return undefined;
  const set =
    (name: string, raw: string) =>
    (d: Draft): Draft => ({ ...d, params: { ...d.params, [name]: raw } });
  return fc.oneof(
    ...names.map((name) =>
      fc.oneof(
        fc
          .constantFrom(...ENCODED_SEGMENTS)
          .map((raw) => defect(`:${name} = ${raw}`, VALIDATION_FAILED, set(name, raw))),
        invalidIdString()
          .filter((v) => v !== '')
          .map((v) =>
            defect(
              `:${name} = ${clip(JSON.stringify(v))} (encoded)`,
              VALIDATION_FAILED,
              set(name, pct(v)),
            ),
          ),
        fc
          .integer({ min: 65, max: 4000 })
          .map((n) =>
            defect(`:${name} of ${n} chars`, VALIDATION_FAILED, set(name, 'A'.repeat(n))),
          ),
        fc
          .constantFrom(...MALFORMED_SEGMENTS)
          .map((raw) =>
            defect(
              `:${name} = ${raw} (malformed percent-encoding)`,
              rejectWith(400),
              set(name, raw),
            ),
          ),
        fc
          .constantFrom(...TRAVERSALS.filter((raw) => !leadsToServedRoute(route, name, raw)))
          .map((raw) =>
            defect(
              `:${name} = ${JSON.stringify(raw)} (changes the route)`,
              rejectWith([400, 404], ['VALIDATION_FAILED', 'NOT_FOUND']),
              set(name, raw),
            ),
          ),
      ),
    ),
  );
};

// ---------------------------------------------------------------------------------------------
// Cursors

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const otherChar = (c: string, shift: number) =>
  B64URL[(B64URL.indexOf(c) + 1 + (shift % (B64URL.length - 1))) % B64URL.length];
const replaceAt = (s: string, i: number, c: string) => `${s.slice(0, i)}${c}${s.slice(i + 1)}`;
const b64json = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url');

/** Ways to edit a real cursor; every one of them must break its signature. */
function tamperedCursor(cursor: string, donor: string): fc.Arbitrary<[string, string]> {
  const [body, mac] = cursor.split('.');
  const key = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  return fc.oneof(
    fc
      .tuple(fc.nat({ max: body.length - 1 }), fc.nat())
      .map(([i, s]): [string, string] => [
        `body char ${i} changed`,
        `${replaceAt(body, i, otherChar(body[i], s))}.${mac}`,
      ]),
    fc
      .tuple(fc.nat({ max: mac.length - 1 }), fc.nat())
      .map(([i, s]): [string, string] => [
        `signature char ${i} changed`,
        `${body}.${replaceAt(mac, i, otherChar(mac[i], s))}`,
      ]),
    fc
      .integer({ min: 1, max: mac.length - 1 })
      .map((n): [string, string] => [`signature cut by ${n}`, `${body}.${mac.slice(0, -n)}`]),
    fc.constantFrom<[string, string]>(
      ['signature removed', `${body}.`],
      ['dot removed', `${body}${mac}`],
      ['only the signature', `.${mac}`],
      ['third segment added', `${cursor}.x`],
      ['signature doubled', `${body}.${mac}${mac}`],
      ['whitespace around it', ` ${cursor} `],
      ['body of another cursor with this signature', `${donor.split('.')[0]}.${mac}`],
      ['signature of another cursor', `${body}.${donor.split('.')[1]}`],
    ),
    fc
      .record({
        field: fc.constantFrom(...Object.keys(key), '__proto__', 'constructor'),
        value: hostileJsonValue(),
      })
      .map(({ field, value }): [string, string] => [
        `body re-encoded with ${field} = ${clip(JSON.stringify(value) ?? '')}`,
        `${b64json({ ...key, [field]: value })}.${mac}`,
      ]),
  );
}

/** Cursors never issued by the server: random text, plausible bodies with made-up signatures. */
const forgedCursor = (): fc.Arbitrary<[string, string]> =>
  fc.oneof(
    fc
      .stringMatching(/^[A-Za-z0-9_-]{1,200}\.[A-Za-z0-9_-]{1,80}$/)
      .map((c): [string, string] => ['random base64url pair', c]),
    fc
      .string({ unit: 'binary', minLength: 1, maxLength: 100 })
      .map((c): [string, string] => ['random text', c]),
    fc
      .record({ key: hostileJsonValue(), mac: fc.stringMatching(/^[A-Za-z0-9_-]{43}$/) })
      .map(({ key, mac }): [string, string] => [
        `body ${clip(JSON.stringify(key) ?? '')} with a made-up signature`,
        `${b64json(key)}.${mac}`,
      ]),
    fc.constantFrom<[string, string]>(
      ['null.null', 'null.null'],
      ['a dot', '.'],
      ['two dots', '..'],
      ['__proto__', '__proto__'],
      ['%00', '\u0000'],
    ),
  );

const onSlot =
  (slot: CursorSlot, cursor: string, tokens: Record<CallerName, string>) =>
  (d: Draft): Draft => ({
    ...d,
    params: Object.fromEntries(Object.entries(slot.params).map(([k, v]) => [k, pct(v)])),
    query: [
      ...Object.entries(slot.query).map(([k, v]): [string, string] => [k, pct(v)]),
      ['cursor', pct(cursor)],
    ],
    headers: slot.caller
      ? { ...d.headers, authorization: `Bearer ${tokens[slot.caller]}` }
      : d.headers,
    auth: slot.caller ? `valid ${slot.caller} token` : d.auth,
  });

const describeSlot = (s: CursorSlot) => s.scope;

/** Tampered real cursors, forged ones, and real ones replayed on a query they were not issued for. */
export const badCursor: Family = (route, fx) => {
  const slots = fx.cursorSlots.filter((s) => s.route === route);
  if (slots.length === 0) return undefined;
  return fc.oneof(
    ...slots.map((slot) => {
      const others = fx.cursorSlots.filter((s) => s.scope !== slot.scope);
      return fc.oneof(
        fc
          .constantFrom(...others)
          .chain((donor) =>
            tamperedCursor(slot.cursor, donor.cursor).map(([how, cursor]) =>
              defect(
                `real cursor of ${describeSlot(slot)}, ${how}`,
                INVALID_CURSOR,
                onSlot(slot, cursor, fx.tokens),
              ),
            ),
          ),
        forgedCursor().map(([how, cursor]) =>
          defect(`forged cursor: ${how}`, INVALID_CURSOR, onSlot(slot, cursor, fx.tokens)),
        ),
        fc
          .constantFrom(...others)
          .map((source) =>
            defect(
              `cursor of ${describeSlot(source)} replayed on ${describeSlot(slot)}`,
              INVALID_CURSOR,
              onSlot(slot, source.cursor, fx.tokens),
            ),
          ),
      );
    }),
  );
};

// ---------------------------------------------------------------------------------------------
// Tokens

const callerRole = (route: Route): Role => (route.caller ? CALLERS[route.caller].role : 'student');

/** Forged, expired, unsigned and malformed tokens; no token where one is needed; a role the route does not admit. */
export const badToken: Family = (route, fx) => {
  const withAuth =
    (authorization: string, label: string) =>
    (d: Draft): Draft => ({ ...d, headers: { ...d.headers, authorization }, auth: label });
  const arbs: fc.Arbitrary<Defect>[] = [
    fc
      .constantFrom(...fx.forged[callerRole(route)])
      .map((t) => defect(`token: ${t.label}`, t.expect, withAuth(t.authorization, t.label))),
  ];
  if (route.access !== 'public') {
    arbs.push(
      fc.constant(
        defect('no token', rejectWith(401, 'UNAUTHENTICATED'), (d) => {
          const { authorization: _, ...headers } = d.headers;
          return { ...d, headers, auth: 'none' };
        }),
      ),
    );
    const allowed = route.access;
    const outsiders = (Object.keys(CALLERS) as CallerName[]).filter(
      (c) => allowed.length > 0 && !allowed.includes(CALLERS[c].role),
    );
    if (outsiders.length > 0) {
      arbs.push(
        fc
          .constantFrom(...outsiders)
          .map((c) =>
            defect(
              `valid ${c} token on a route for ${allowed.join(', ')}`,
              rejectWith(403, 'FORBIDDEN_ROLE'),
              withAuth(`Bearer ${fx.tokens[c]}`, `valid ${c} token`),
            ),
          ),
      );
    }
  }
  return fc.oneof(...arbs);
};

// ---------------------------------------------------------------------------------------------
// Unknown routes and methods

const UNUSED_METHODS = ['PUT', 'POST', 'PATCH', 'DELETE', 'GET'] as const;
// prettier-ignore
const UNKNOWN_PATHS = ['/health', '/health/', '/healthz', '/health/live/x', '/metrics/x', '/api', '/api/', '/api/v2/courses', '/.env', '/api/courses/x/enrollments/y'];
const APPS: readonly AppName[] = ['courses', 'enrollments', 'notifications'];

/** Paths no app serves, methods a path does not take, and routes asked of the wrong app. */
export const unknownRoute: Family = (route) => {
  const elsewhere = (d: Draft, app: AppName, method: string, path: string): Draft => ({
    ...d,
    app,
    method,
    pathOverride: path,
    body: undefined,
  });
  const realPath = (d: Draft) => draftPath({ ...d, query: [] });
  const unserved = (d: Draft) => !isServed(d.app, d.method, d.pathOverride ?? realPath(d));
  return fc
    .oneof(
      fc
        .record({
          app: fc.constantFrom(...APPS),
          top: fc
            .stringMatching(/^[a-z0-9_-]{1,16}$/)
            .filter(
              (s) =>
                ![
                  'courses',
                  'instructors',
                  'enrollments',
                  'auth',
                  'queues',
                  'terms',
                  'users',
                ].includes(s),
            ),
          rest: fc.array(fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/), { maxLength: 3 }),
          method: fc.constantFrom(...UNUSED_METHODS),
        })
        .map(({ app, top, rest, method }) =>
          defect(`${method} /api/${[top, ...rest].join('/')}`, NOT_FOUND, (d) =>
            elsewhere(d, app, method, `/api/${[top, ...rest].join('/')}`),
          ),
        ),
      fc
        .constantFrom(...UNUSED_METHODS)
        .map((method) =>
          defect(`${method} on ${route.template}`, NOT_FOUND, (d) =>
            elsewhere(d, d.app, method, realPath(d)),
          ),
        ),
      fc
        .constantFrom(...APPS)
        .map((app) =>
          defect(`${route.name} asked of the ${app} app`, NOT_FOUND, (d) =>
            elsewhere(d, app, d.method, realPath(d)),
          ),
        ),
      fc
        .constantFrom('/x', '/..', '/%2e%2e', '/CS101-2026-FALL', '/0', '/%00')
        .map((extra) =>
          defect(`${route.name} with ${extra} appended`, NOT_FOUND, (d) =>
            elsewhere(d, d.app, d.method, `${realPath(d)}${extra}`),
          ),
        ),
      fc
        .constantFrom(...UNKNOWN_PATHS)
        .map((path) => defect(`GET ${path}`, NOT_FOUND, (d) => elsewhere(d, d.app, 'GET', path))),
    )
    .filter((x) => unserved(x.apply(baseDraftFor(route))));
};

// A stand-in base for the served-path filter: tokens do not change which routes match.
const baseDraftFor = (route: Route) =>
  baseDraft(route, route.apps[0], { admin: '', instructor: '', student: '', student2: '' });

// ---------------------------------------------------------------------------------------------
// Cases

function describeCase(c: Case): string {
  const d = c.draft;
  const body = d.body === undefined ? '' : ` body=${clip(JSON.stringify(d.body.toString()), 160)}`;
  const extraHeaders = Object.entries(d.headers)
    .filter(([k]) => k !== 'authorization')
    .map(([k, v]) => ` ${k}: ${clip(v, 60)}`)
    .join('');
  return `[${c.label}] ${d.app}: ${d.method} ${clip(draftPath(d), 200)}${body} (auth: ${d.auth})${extraHeaders}`;
}

export function toCase(draft: Draft, defects: Defect[], expect?: Expectation): Case {
  const applied = defects.reduce((d, x) => x.apply(d), draft);
  const c: Case = {
    label: defects.map((x) => x.label).join(' + '),
    draft: applied,
    expect: expect ?? (defects.length === 1 ? defects[0].expect : ANY_REJECTION),
  };
  Object.defineProperty(c, fc.toStringMethod, { value: () => describeCase(c) });
  return c;
}

/** Node answers a header section over 16 KB with a bare 431 before any app code runs: stay below it. */
const MAX_HEADER_BYTES = 14_000;
const fitsHeaderLimit = (c: Case) =>
  draftPath(c.draft).length +
    Object.entries(c.draft.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 0) <
  MAX_HEADER_BYTES;

/**
 * Every route that the family applies to, on each of its apps, weighted so that each route is
 * as likely as any other (the platform routes are on three apps). Built once per property:
 * constructing arbitraries costs far more than drawing from them.
 */
function perRouteAndApp(
  arbitraryFor: (route: Route, app: AppName) => fc.Arbitrary<Case> | undefined,
): fc.Arbitrary<Case> {
  const entries = ROUTES.flatMap((route) =>
    route.apps.flatMap((app) => {
      const arbitrary = arbitraryFor(route, app);
      return arbitrary ? [{ arbitrary, weight: 6 / route.apps.length }] : [];
    }),
  );
  return fc.oneof(...entries).filter(fitsHeaderLimit);
}

/**
 * Requests with exactly one defect of the family, on every route it applies to. `then` adjusts
 * the request afterwards without adding a defect (its expectation is the family's).
 */
export function casesOf(
  family: Family,
  fx: Fixtures,
  then?: (d: Draft) => Draft,
): fc.Arbitrary<Case> {
  const defects = new Map(ROUTES.map((route) => [route, family(route, fx)]));
  return perRouteAndApp((route, app) =>
    defects.get(route)?.map((x) => {
      const adjusted = then ? { ...x, apply: (d: Draft) => then(x.apply(d)) } : x;
      return toCase(baseDraft(route, app, fx.tokens), [adjusted]);
    }),
  );
}

/** Requests with two to four defects of different families at once. */
export function chaosCases(families: Family[], fx: Fixtures): fc.Arbitrary<Case> {
  const applicable = new Map(
    ROUTES.map((route) => [
      route,
      families.map((f) => f(route, fx)).filter((a): a is fc.Arbitrary<Defect> => a !== undefined),
    ]),
  );
  return perRouteAndApp((route, app) => {
    const arbs = applicable.get(route)!;
    return fc
      .shuffledSubarray(arbs, { minLength: Math.min(2, arbs.length), maxLength: 4 })
      .chain((picked) => fc.tuple(...picked))
      .map((picked) => toCase(baseDraft(route, app, fx.tokens), picked, ANY_REJECTION));
  });
}
