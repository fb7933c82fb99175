// Stripe secrets in source text: API keys (sk_/rk_, live and test) and webhook signing secrets (whsec_).
// Found by a text scan of the files the filter flagged (no parse needed), and masked in every output.
import type { SourceRange } from '../types.js';
import { isExampleEnvFile } from '../config-files.js';

export type SecretKind = 'sk_live' | 'rk_live' | 'sk_test' | 'rk_test' | 'whsec';

export interface SecretLiteral {
  kind: SecretKind;
  value: string;
  range: SourceRange;
}

const SECRET = /\b((?:sk|rk)_(?:live|test)_|whsec_)([A-Za-z0-9+/=_]*)/g;
const ANY_SECRET = /\b((?:sk|rk)_(?:live|test)_|whsec_)([A-Za-z0-9+/=_]{4,})/g;
const PLACEHOLDER = /x{4,}|\.{3}|\*{3}|your|placeholder|example|replace|change_?me|redacted|insert|dummy|_here|<|\{\{/i;

/** Real keys are 24+ characters after the prefix (legacy keys 24, current ones ~99; whsec_ 32+). */
const MIN_BODY = 20;

export function isPlaceholder(body: string): boolean {
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
    lineStarts ??= computeLineStarts(text);
    const start = position(lineStarts, m.index!);
    const end = position(lineStarts, m.index! + m[0].length);
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
  return text.replace(ANY_SECRET, (whole) => maskSecret(whole));
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function position(lineStarts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
}
