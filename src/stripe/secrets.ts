// Stripe secrets in source text: API keys (sk_/rk_, live and test) and webhook signing secrets (whsec_).
// Found by a text scan of the files the filter flagged (no parse needed), and masked in every output.
import type { SourceRange } from '../types.js';
import { lineStarts as computeLineStarts, lineAndColumn } from '../analysis/line-table.js';
import { isExampleEnvFile } from '../scan/config-files.js';

export type SecretKind = 'sk_live' | 'rk_live' | 'sk_test' | 'rk_test' | 'whsec';

export interface SecretLiteral {
  kind: SecretKind;
  value: string;
  range: SourceRange;
}

/**
 * Where a key can start: at a word boundary (not inside `task_test_…`), or right after an escape
 * sequence or percent-encoding, whose last character is a letter or digit glued to the key:
 * `"\nsk_live_…"`, `\t`, `\x22`, `\u0022`, `\u{22}`, `%20`.
 */
const KEY_START = String.raw`(?:\b|(?<=\\[bfnrtv0]|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|\\u\{[0-9A-Fa-f]{1,6}\}|%[0-9A-Fa-f]{2}))`;
const SECRET = new RegExp(String.raw`${KEY_START}((?:sk|rk)_(?:live|test)_|whsec_)([A-Za-z0-9+/=_]*)`, 'g');
// No word boundary in front when masking: a key glued to a word (`'X' + key`) is still masked.
const ANY_SECRET = /((?:sk|rk)_(?:live|test)_|whsec_)([A-Za-z0-9+/=_]{4,})/g;
const PLACEHOLDER = /x{4,}|\.{3}|\*{3}|your|placeholder|example|replace|change_?me|redacted|insert|dummy|_here|<|\{\{/i;

/** Real keys are 24+ characters after the prefix (legacy keys 24, current ones ~99; whsec_ 32+). */
const MIN_BODY = 20;

function isPlaceholder(body: string): boolean {
  if (body.length < MIN_BODY) return true;
  if (PLACEHOLDER.test(body)) return true;
  return new Set(body).size < 6;
}

export function scanSecrets(relPath: string, text: string): SecretLiteral[] {
  const out: SecretLiteral[] = [];
  // `.env.example` documents the variables: a test key there is an example, a live key is still a leak.
  const liveOnly = isExampleEnvFile(relPath);
  let lineStarts: number[] | undefined;
  for (const m of text.matchAll(SECRET)) {
    const body = m[2];
    // A real secret is not followed by more identifier characters or `...` (cut-off placeholders).
    const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 3);
    if (after.startsWith('...') || after.startsWith('…')) continue;
    if (isPlaceholder(body)) continue;
    if (liveOnly && !m[1].includes('live')) continue;
    lineStarts ??= computeLineStarts(text); // the parser's line table (line-table.ts)
    const start = lineAndColumn(lineStarts, m.index!);
    const end = lineAndColumn(lineStarts, m.index! + m[0].length);
    out.push({
      kind: m[1].slice(0, -1) as SecretKind,
      value: m[0],
      range: { file: relPath, startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column },
    });
  }
  return out;
}

/** `sk_live_51Abc…WXYZ`: the prefix, and the last 4 characters. */
export function maskSecret(value: string): string {
  const m = /^((?:sk|rk)_(?:live|test)_|whsec_)(.*)$/.exec(value);
  if (!m) return value.length > 8 ? `${value.slice(0, 2)}…${value.slice(-4)}` : '****';
  return `${m[1]}…${m[2].slice(-4)}`;
}

/** Masks every secret-looking token in a text (code frames, messages, reports). */
export function maskSecretsInText(text: string): string {
  return text.replace(ANY_SECRET, (whole, _prefix: string, body: string, at: number) =>
    // Glued to a word, a short tail is more likely an identifier (`task_test_data`) than a key.
    at > 0 && /[A-Za-z0-9]/.test(text[at - 1]) && body.length < 16 ? whole : maskSecret(whole),
  );
}
