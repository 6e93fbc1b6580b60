// Just enough MIME to read what nodemailer sends (headers, RFC 2047 words, multipart, QP/base64);
// no parser package is installed and the sink needs no more.

export interface ParsedMail {
  subject: string;
  messageId: string;
  text?: string;
}

interface Part {
  headers: Map<string, string>;
  body: string;
}

function splitPart(raw: string): Part {
  const match = /\r?\n\r?\n/.exec(raw);
  const head = match ? raw.slice(0, match.index) : raw;
  const body = match ? raw.slice(match.index + match[0].length) : '';
  const headers = new Map<string, string>();
  // Unfold continuation lines, then keep the first occurrence of each header.
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeQuotedPrintable(value: string, inHeader = false): Buffer {
  const text = (inHeader ? value.replace(/_/g, ' ') : value).replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`); adjacent words join without the space. */
export function decodeHeader(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_m, _charset: string, enc: string, data: string) =>
        (enc.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64')
          : decodeQuotedPrintable(data, true)
        ).toString('utf8'),
    );
}

function decodeBody(part: Part): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '').toLowerCase();
  if (encoding === 'base64')
    return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body).toString('utf8');
  return part.body;
}

function findText(part: Part, depth = 0): string | undefined {
  const type = part.headers.get('content-type') ?? 'text/plain';
  const mediaType = type.split(';')[0].trim().toLowerCase();
  // SMTP lines end in CRLF; callers compare with ordinary strings.
  if (mediaType === 'text/plain') return decodeBody(part).replace(/\r\n/g, '\n').replace(/\n$/, '');
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!mediaType.startsWith('multipart/') || !boundary || depth > 5) return undefined;
  const sections = part.body.split(
    new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
  );
  // sections[0] is the preamble; the last one starts with "--" (the closing delimiter).
  for (const section of sections.slice(1)) {
    if (section.startsWith('--')) break;
    const text = findText(splitPart(section.replace(/^[ \t]*\r?\n/, '')), depth + 1);
    if (text !== undefined) return text;
  }
  return undefined;
}

export function parseMail(raw: string): ParsedMail {
  const root = splitPart(raw);
  return {
    subject: decodeHeader(root.headers.get('subject') ?? ''),
    messageId: root.headers.get('message-id') ?? '',
    text: findText(root),
  };
}
