import { decodeHeader, parseMail } from './mail-parse';

describe('parseMail', () => {
  it('reads an encoded subject and a base64 text part inside multipart/alternative', () => {
    const raw = [
      'From: a@example.edu',
      'Subject: =?UTF-8?Q?Dropped_CS101_=E2=80=94?=',
      ' =?UTF-8?B?IEZhbGw=?=',
      'Message-ID: <m1@example.edu>',
      'Content-Type: multipart/alternative; boundary="--_b1"',
      '',
      '----_b1',
      'Content-Type: text/html',
      '',
      '<p>html</p>',
      '----_b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('café\r\nline 2').toString('base64'),
      '----_b1--',
      '',
    ].join('\r\n');

    expect(parseMail(raw)).toEqual({
      subject: 'Dropped CS101 — Fall',
      messageId: '<m1@example.edu>',
      text: 'café\nline 2',
    });
  });

  it('decodes a quoted-printable single-part body and tolerates missing headers', () => {
    const raw = 'Content-Transfer-Encoding: quoted-printable\n\nsoft=\nbreak =C3=A9\n';
    expect(parseMail(raw)).toEqual({ subject: '', messageId: '', text: 'softbreak é' });
  });

  it('leaves plain headers alone', () => {
    expect(decodeHeader('Plain subject')).toBe('Plain subject');
  });
});
