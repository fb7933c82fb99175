// The escaping of each output sink (src/report/sinks.ts), on the strings a hostile repository can put there.
import { describe, expect, it } from 'vitest';
import { expandTabs, forGithubData, forGithubProperty, forJson, forTerminal, notACommand, stderrLines } from '../src/report/sinks.js';
import { relativeUri } from '../src/report/paths.js';
import { lineStarts, lineText } from '../src/analysis/line-table.js';

const KEY = 'sk_live_51SinkTestOnlyKey' + 'Zq8Xw3Vb7Nm2Lk5Jh9Gf4Ds1Ap6Ty0Ur';

describe('sinks', () => {
  it('terminal: control characters, C1, line separators and bidi overrides become visible escapes', () => {
    expect(forTerminal('a\x1b]0;t\x07b\x1b[2J\r\n\u2028\u202e\x9b')).toBe('a\\x1B]0;t\\x07b\\x1B[2J\\r\\n\\u2028\\u202E\\x9B');
    expect(forTerminal('plain text: é, 日本')).toBe('plain text: é, 日本');
  });
  it('github: data escapes %, \\r and \\n; properties also : and ,', () => {
    expect(forGithubData('50% done\r\n::error::x')).toBe('50%25 done%0D%0A::error::x');
    expect(forGithubProperty('a\n::error file=x.ts,line=1::F')).toBe('a%0A%3A%3Aerror file=x.ts%2Cline=1%3A%3AF');
  });
  it('a text line cannot start a workflow command; stderr lines all carry the prefix', () => {
    expect(notACommand('::error::x')).toBe('./::error::x');
    expect(notACommand('  ##[error]x')).toBe('./##[error]x');
    expect(notACommand('src/a.ts')).toBe('src/a.ts');
    expect(stderrLines(['x\n::error::y', 'z'])).toBe('stripe-audit: x\\n::error::y\nstripe-audit: z\n');
  });
  it('secrets are masked in every sink, also glued to a word or after an escape', () => {
    for (const out of [forTerminal(`X${KEY}`), forGithubData(`a ${KEY}`), forGithubProperty(`${KEY}.ts`), forJson({ m: `\n${KEY}` }), stderrLines(`r: ${KEY}`)]) {
      expect(out).not.toContain(KEY.slice(8, 30));
      expect(out).toContain(`sk_live_…${KEY.slice(-4)}`);
    }
    // A short tail glued to a word is an identifier, not a key.
    expect(forTerminal('task_test_data')).toBe('task_test_data');
  });
  it('json stays valid and escapes C1 and line separators', () => {
    const text = forJson({ s: 'a\u2028b\x9bc\x1b' });
    expect(text).not.toMatch(/[\u2028\x9b\x1b]/);
    expect(JSON.parse(text)).toEqual({ s: 'a\u2028b\x9bc\x1b' });
  });
  it('tabs expand to the next stop', () => {
    expect(expandTabs('\tx\ty')).toBe('    x   y');
  });
  it('relative URIs percent-encode each segment', () => {
    expect(relativeUri('src/a#b.ts')).toBe('src/a%23b.ts');
    expect(relativeUri('c:evil.ts')).toBe('c%3Aevil.ts');
    expect(relativeUri('../x/q?y.ts')).toBe('../x/q%3Fy.ts');
  });
  it("the line table is the parser's: \\r\\n, lone \\r, \\n, U+2028, U+2029", () => {
    const text = 'a\r\nb\rc\nd\u2028e\u2029f';
    const starts = lineStarts(text);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => lineText(text, starts, n))).toEqual(['a', 'b', 'c', 'd', 'e', 'f', '']);
  });
});
