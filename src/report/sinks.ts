// Every string that leaves the tool passes one of these functions, chosen by where it goes (its sink).
// The scanned repository controls much of that text (file names, code, suppression reasons, lockfile
// versions, baseline entries, registry text replayed from the cache), so each sink escapes it for
// itself: a terminal must not receive control sequences (ESC ] 0; … BEL retitles it, ESC [ 2 J clears
// it), and a GitHub Actions log must not receive a line that starts a workflow command (the runner
// parses stdout and stderr alike, and a bare \r starts a new line there). Secrets are masked here too,
// so that no reporter can forget to.
import { maskSecretsInText } from '../stripe/secrets.js';

/**
 * C0 and C1 controls, DEL, the Unicode line and paragraph separators (a line break to some viewers), and
 * the bidirectional overrides and isolates (text that reads differently from what it is).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).toUpperCase().padStart(width, '0');
const showControl = (c: string) => NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`);

/** Text for a terminal (text report, stderr): secrets masked, every control character shown as an escape. */
export function forTerminal(s: string): string {
  return maskSecretsInText(s).replace(CONTROL, showControl);
}

/** Tabs expanded to the next multiple of `width` columns (code frames line up with their caret). */
export function expandTabs(s: string, width = 4): string {
  if (!s.includes('\t')) return s;
  let out = '';
  for (const ch of s) out += ch === '\t' ? ' '.repeat(width - (out.length % width)) : ch;
  return out;
}

/**
 * A line of the text report that would start a GitHub workflow command (`::cmd` or `##[cmd]`, after
 * leading blanks) is turned into one that does not. Only file names can start a report line.
 */
export function notACommand(line: string): string {
  return /^\s*(?:::|##\[)/.test(line) ? `./${line.trimStart()}` : line;
}

/** The message part of a workflow command (after `::`). */
export function forGithubData(s: string): string {
  return forTerminal(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** A property value of a workflow command (`file=…`, `title=…`). */
export function forGithubProperty(s: string): string {
  return forGithubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * JSON for stdout or a file (json and sarif reports): secrets masked; JSON.stringify already escapes the
 * C0 controls, and the C1 controls, line separators and bidi controls are escaped too (still valid JSON).
 */
export function forJson(doc: unknown): string {
  const text = JSON.stringify(doc, null, 2).replace(/[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${hex(c, 4)}`);
  return maskSecretsInText(text) + '\n';
}

/** Lines for stderr, each prefixed with the tool's name (so none can start a workflow command). */
export function stderrLines(lines: string | string[]): string {
  return (Array.isArray(lines) ? lines : [lines]).map((l) => `stripe-audit: ${forTerminal(l)}\n`).join('');
}

/** The one function that writes diagnostics and notes to stderr. */
export function writeStderr(lines: string | string[]): void {
  process.stderr.write(stderrLines(lines));
}
