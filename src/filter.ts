// Stage 2, filter: read each file once and keep only those whose text can matter. Most of a
// repository is dropped here, before any parsing.
import fs from 'node:fs';
import type { Diagnostic } from './types.js';
import type { FileRef } from './discover.js';

export const MAX_FILE_BYTES = 1024 * 1024;

export interface Candidate {
  file: FileRef;
  text: string;
  /** Why the file was kept (for --stats and debugging). */
  signal: string;
}

export interface Filtered {
  candidates: Candidate[];
  diagnostics: Diagnostic[];
  bytesRead: number;
  /** Files that may hold a Stripe secret literal (the key rules scan these without parsing). */
  secretFiles: Candidate[];
}

/**
 * Strong signals: any of these makes a file a parse candidate.
 * - the SDK imported, its keys and secrets, its verification functions and signature header;
 * - a value whose name says stripe used as an object or called (`stripe.refunds`, `getStripe()`), not the
 *   word in prose, labels or URLs;
 * - Stripe event names (unverified webhook handlers compare `.type` with them);
 * - catalogued resources followed by a catalogued method (a client may come from elsewhere);
 * - rawRequest, and NestFactory.create (the raw-body facts of a Nest app).
 */
const STRONG_SIGNALS: Array<{ hint?: (text: string) => boolean; re: RegExp }> = [
  { hint: (t) => t.includes('stripe'), re: /(?:from\s*|require\s*\(\s*|import\s*\(\s*|import\s+)['"](?:npm:)?stripe(?:@[^'"/]*)?(?:\/[^'"]*)?['"]|esm\.sh\/stripe/ },
  { hint: (t) => t.includes('whsec_') || t.includes('k_live_') || t.includes('k_test_'), re: /whsec_|[sr]k_(?:live|test)_/ },
  { re: /[Ss]tripe-[Ss]ignature|STRIPE-SIGNATURE|constructEvent|verifyHeader|parseThinEvent|parseEventNotification|WithoutVerification/ },
  // A value named like stripe used as an object or called: not the word in prose, labels or URLs.
  { hint: (t) => t.includes('tripe'), re: /(?<![/-])[Ss]tripe\w*\s*(?:\.(?!com\b|dev\b|network\b)[a-zA-Z_$]|\()/ },
  { re: /['"`](?:checkout\.session|invoice|payment_intent|customer\.subscription|charge|payout|transfer|refund|setup_intent|account|payment_method|subscription_schedule)\.[a-z_.]+['"`]/ },
  { re: /\b(?:paymentIntents|setupIntents|refunds|payouts|transfers|topups|invoiceItems|subscriptionItems|subscriptionSchedules|creditNotes|applicationFees|outboundPayments|outboundTransfers|inboundTransfers|meterEvents|charges|customers|invoices|subscriptions|accounts|quotes)\s*\.\s*(?:create|confirm|capture|pay|reverse|createReversal|incrementAuthorization|createRefund|createUsageRecord|applyCustomerBalance)\s*\(/ },
  { re: /\brawRequest\s*\(|NestFactory\.create/ },
];

function strongSignal(text: string): RegExpExecArray | null {
  for (const { hint, re } of STRONG_SIGNALS) {
    if (hint && !hint(text)) continue;
    const m = re.exec(text);
    if (m) return m;
  }
  return null;
}

/** Weak signals: kept aside, and promoted when the file imports a candidate module. */
const WEAK_SIGNAL = /webhook|\.data\.object\b/i;

const SECRET_SIGNAL = /whsec_|[sr]k_(?:live|test)_/;

const decoder = new TextDecoder('utf-8', { fatal: true });

function looksMinified(text: string): boolean {
  if (text.length < 20_000) return false;
  let lines = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  return text.length / lines > 500;
}

export interface FilterOptions {
  /** Resolves a relative/alias import of `from` to an absolute path, if it is a discovered file. */
  resolveImport: (fromAbs: string, specifier: string) => string | undefined;
}

const IMPORT_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"\n]+)['"]/gm;

export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT_SPECIFIER)) out.push(m[1]);
  return out;
}

export function filterFiles(files: FileRef[], options: FilterOptions): Filtered {
  const out: Filtered = { candidates: [], diagnostics: [], bytesRead: 0, secretFiles: [] };
  const maybe: Candidate[] = [];
  const candidatePaths = new Set<string>();
  for (const file of files) {
    if (file.size > MAX_FILE_BYTES) {
      out.diagnostics.push({ kind: 'skipped-file', level: 'warning', file: file.relPath, message: `skipped ${file.relPath}: ${(file.size / 1024 / 1024).toFixed(1)} MB is over the 1 MB limit` });
      continue;
    }
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file.absPath);
    } catch (err) {
      out.diagnostics.push({ kind: 'skipped-file', level: 'error', file: file.relPath, message: `could not read ${file.relPath} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
      continue;
    }
    out.bytesRead += buf.length;
    // UTF-16 with a byte-order mark is text (TypeScript reads it); NUL bytes elsewhere mean binary.
    const utf16 = buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff));
    if (!utf16 && buf.subarray(0, 8000).includes(0)) {
      out.diagnostics.push({ kind: 'skipped-file', level: 'warning', file: file.relPath, message: `skipped ${file.relPath}: binary content` });
      continue;
    }
    let text: string;
    try {
      text = utf16 ? new TextDecoder(buf[0] === 0xff ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(buf) : decoder.decode(buf);
    } catch {
      out.diagnostics.push({ kind: 'skipped-file', level: 'warning', file: file.relPath, message: `skipped ${file.relPath}: not valid ${utf16 ? 'UTF-16' : 'UTF-8'}` });
      continue;
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (looksMinified(text)) {
      out.diagnostics.push({ kind: 'skipped-file', level: 'note', file: file.relPath, message: `skipped ${file.relPath}: minified bundle` });
      continue;
    }
    const strong = strongSignal(text);
    if (strong) {
      const candidate = { file, text, signal: strong[0] };
      out.candidates.push(candidate);
      candidatePaths.add(file.absPath);
      if (SECRET_SIGNAL.test(text)) out.secretFiles.push(candidate);
      continue;
    }
    const weak = WEAK_SIGNAL.exec(text);
    if (weak) maybe.push({ file, text, signal: weak[0] });
  }
  // A weakly signalled file (a route that mentions "webhook") matters when it imports Stripe code.
  for (const m of maybe) {
    const imported = importSpecifiers(m.text).some((s) => {
      const target = options.resolveImport(m.file.absPath, s);
      return target !== undefined && candidatePaths.has(target);
    });
    if (imported) out.candidates.push({ ...m, signal: `imports Stripe code (${m.signal})` });
  }
  return out;
}
