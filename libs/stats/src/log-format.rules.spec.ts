import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessLogLine, seededRandom } from '@logstream/traffic';
import {
  compileLogFormat,
  emptyParsedLine,
  LogFormatError,
  type ParsedLine,
  parseLogLine,
} from './log-format.rules';

const generated = compileLogFormat('combined-msec');
const combined = compileLogFormat('combined');

function parse(format: ReturnType<typeof compileLogFormat>, text: string): ParsedLine | undefined {
  const buf = Buffer.from(text);
  const out = emptyParsedLine();
  return parseLogLine(format, buf, 0, buf.length, out) ? out : undefined;
}

function slice(text: string, start: number, end: number): string {
  return Buffer.from(text).subarray(start, end).toString();
}

describe('access-log format parsing', () => {
  it('parses what the traffic generator writes (the edge strips the customer id)', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 500; i++) {
      const ms = Date.UTC(2026, 11, 2, 6, 30, 0, 0) + i * 997;
      const full = accessLogLine('acme', ms, random);
      const text = full.slice(full.indexOf(' ') + 1);
      const p = parse(generated, text);
      assert.ok(p, text);
      const fields = text.split(' ');
      assert.equal(slice(text, p.ipStart, p.ipEnd), fields[0]);
      assert.equal(p.timeMs, ms);
      assert.equal(p.status, Number(text.match(/" (\d{3}) /)?.[1]));
      assert.equal(p.bytes, Number(text.match(/" \d{3} (\d+) /)?.[1]));
      const target = new URL(fields[6]);
      assert.equal(slice(text, p.pathStart, p.pathEnd), target.pathname);
      assert.equal(slice(text, p.hostStart, p.hostEnd), target.host);
    }
  });

  it('reads the host from an absolute request target as varnishncsa writes it', () => {
    const text =
      '203.0.113.9 - - [02/Dec/2026:06:30:05 +0100] "GET http://www.example.com/a/b?x=1 HTTP/1.1" 404 - "-" "curl/8"';
    const p = parse(combined, text);
    assert.ok(p);
    assert.equal(slice(text, p.hostStart, p.hostEnd), 'www.example.com');
    assert.equal(slice(text, p.pathStart, p.pathEnd), '/a/b');
    assert.equal(p.bytes, 0);
    assert.equal(p.status, 404);
    assert.equal(p.timeMs, Date.UTC(2026, 11, 2, 5, 30, 5));
  });

  it('takes the host from a %{Host}i field', () => {
    const f = compileLogFormat('%h %t "%r" %s %b "%{Host}i"');
    const text = '::1 [02/Dec/2026:06:30:05 +0000] "GET /x HTTP/2.0" 200 5 "cdn.example.net"';
    const p = parse(f, text);
    assert.ok(p);
    assert.equal(slice(text, p.hostStart, p.hostEnd), 'cdn.example.net');
    assert.equal(slice(text, p.ipStart, p.ipEnd), '::1');
  });

  it('refuses lines that do not match, never guessing', () => {
    const good =
      '1.2.3.4 - - [02/Dec/2026:06:30:05 +0000] "GET / HTTP/1.1" 200 12 "-" "ua" 1796106605000';
    assert.ok(parse(generated, good));
    const bad = [
      '',
      'garbage',
      good.replace('200', '2000'),
      good.replace('200', '099'),
      good.replace('200', '6xx'),
      good.replace(' 12 ', ' 1e3 '),
      good.replace('[02/Dec/2026:06:30:05 +0000]', '[02/Dec/2026:06:30:05]'),
      good.replace('"GET / HTTP/1.1"', '"GET"'),
      good.replace('"GET / HTTP/1.1"', '"GET ftp:x HTTP/1.1"'),
      good.replace(' 1796106605000', ''),
      good.replace(' 1796106605000', ' 17961066050x0'),
      good + ' extra',
      good.slice(0, 40),
      '\u0000'.repeat(100),
      good.replace('1.2.3.4', ''),
    ];
    for (const line of bad) assert.equal(parse(generated, line), undefined, JSON.stringify(line));
    // Without an epoch field, %t is the event time and is read strictly.
    const clf = '1.2.3.4 - - [02/Dec/2026:06:30:05 +0000] "GET / HTTP/1.1" 200 12 "-" "ua"';
    assert.ok(parse(combined, clf));
    for (const line of [clf.replace('Dec', 'Dez'), clf.replace('06:30:05', '25:30:05')]) {
      assert.equal(parse(combined, line), undefined, line);
    }
    // The combined preset refuses the generator's trailing edge time: it is another format.
    assert.equal(parse(combined, good), undefined);
  });

  it('rejects a format it cannot honour with a clear error', () => {
    assert.throws(() => compileLogFormat('%h %t %Z %s'), LogFormatError);
    assert.throws(() => compileLogFormat('%h %t'), /no %s/);
    assert.throws(() => compileLogFormat('%h %s'), /no time/);
    assert.throws(() => compileLogFormat('%h%s %t'), /separated/);
    assert.throws(() => compileLogFormat('%{Host %s %t'), /unclosed/);
  });
});
