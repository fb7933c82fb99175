// Stage 2, filter: read each file once and keep only those whose text can matter. Most of a
// repository is dropped here, before any parsing.
import fs from 'node:fs';
import type { Diagnostic } from './types.js';
import type { FileRef } from './discover.js';
import { STRIPE_EVENT_TYPES } from '../rules/stripe-event-types.js';

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
const STRONG_SIGNALS: RegExp[] = [
  /(?:from\s*|require\s*\(\s*|import\s*\(\s*|import\s+)['"](?:npm:)?stripe(?:@[^'"/]*)?(?:\/[^'"]*)?['"]|esm\.sh\/stripe/,
  /whsec_|[sr]k_(?:live|test)_/,
  /[Ss]tripe-[Ss]ignature|STRIPE-SIGNATURE|constructEvent|verifyHeader|parseThinEvent|parseEventNotification|notificationHandler|WithoutVerification/,
  // A value named like stripe used as an object (`stripe.refunds`, `this.stripeClient.x`) or a
  // function that makes one (`getStripe()`, `Stripe(key)`): not the word in prose, labels, URLs or
  // component names.
  /(?<![/-])[Ss]tripe\w*\s*\.(?!com\b|dev\b|network\b|svg\b|png\b)[a-zA-Z_$]|[Ss]tripe(?:Client|Service|Instance|Api|Sdk)?\s*\(/,
  // Resources only Stripe has; generic ones (charges, payouts, …) are weak signals.
  /\b(?:paymentIntents|setupIntents|invoiceItems|subscriptionItems|subscriptionSchedules|creditNotes|applicationFees|outboundPayments|outboundTransfers|inboundTransfers|meterEvents|topups)\s*\.\s*(?:create|confirm|capture|pay|reverse|createReversal|incrementAuthorization|createRefund|createUsageRecord|applyCustomerBalance)\s*\(/,
  /\brawRequest\s*\(|NestFactory\.create/,
];

/** A quoted string that starts like a Stripe event name (`'invoice.`): the cheap test before DOTTED_STRING. */
const EVENT_PREFIX = new RegExp(`['"\x60](?:${[...new Set([...STRIPE_EVENT_TYPES].map((t) => t.slice(0, t.indexOf('.'))))].join('|')})\\.`);

/** A dotted string compared with something (`=== 'invoice.paid'`, `case 'invoice.paid':`), in either order. */
const DOTTED_STRING = /(?:[=!]==?|\bcase)\s*['"`]([a-z_]+(?:\.[a-z_]+)+)['"`]|['"`]([a-z_]+(?:\.[a-z_]+)+)['"`]\s*[=!]==?/g;

/**
 * One scan for the literals every strong signal above contains: most files have none of them, and a
 * single alternation is about twice as fast as a substring search per literal.
 */
const STRONG_GATE = /tripe|TRIPE|whsec_|k_live_|k_test_|ignature|IGNATURE|constructEvent|verifyHeader|parseThinEvent|parseEventNotification|otificationHandler|WithoutVerification|Intents|Items|Schedules|creditNotes|applicationFees|Payments|Transfers|meterEvents|topups|rawRequest|NestFactory/;

function strongSignal(text: string): string | undefined {
  if (STRONG_GATE.test(text)) {
    for (const re of STRONG_SIGNALS) {
      const m = re.exec(text);
      if (m) return m[0];
    }
  }
  // A Stripe event name compared with something: what unverified webhook handlers do with `.type`.
  if (EVENT_PREFIX.test(text)) for (const m of text.matchAll(DOTTED_STRING)) if (STRIPE_EVENT_TYPES.has(m[1] ?? m[2])) return m[0];
  return undefined;
}

/**
 * Weak signals: the file matters only when it imports Stripe code (directly or through up to three
 * modules): webhook routes, `.data.object`, and calls of resources other APIs have too (`db.charges.create`).
 */
const WEAK_RESOURCE_CALL = /\b(?:charges|customers|invoices|subscriptions|accounts|quotes|refunds|payouts|transfers)\s*\.\s*(?:create|capture|pay|reverse|createReversal|createRefund)\s*\(/;

function weakSignal(t: string): string | undefined {
  if (/webhook/i.test(t)) return 'webhook';
  if (t.includes('.data.object')) return '.data.object';
  return WEAK_RESOURCE_CALL.exec(t)?.[0];
}

/** Local import specifiers (relative, aliases, scoped workspace packages): the edges promotion follows. */
const LOCAL_IMPORT = /(?:from|import|require\s*\()\s*['"](\.{1,2}\/[^'"\n]*|[@~#][^'"\n]*)['"]/g;
const PROMOTION_DEPTH = 3;

const COMPILED_JS = /\.[cm]?js$/;
const SOURCE_MAP_COMMENT = /\/\/# sourceMappingURL=(?!data:)\S+\.map\s*$/;

const SECRET_SIGNAL = /whsec_|[sr]k_(?:live|test)_/;

const decoder = new TextDecoder('utf-8', { fatal: true });

function looksMinified(text: string): boolean {
  if (text.length < 20_000) return false;
  // Average line length over the first 20 kB (native indexOf jumps from newline to newline).
  const limit = 20_000;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < limit; i = text.indexOf('\n', i + 1)) lines++;
  return limit / lines > 500;
}

export interface FilterOptions {
  /** Resolves a relative/alias import of `from` to an absolute path, if it is a discovered file. */
  resolveImport: (fromAbs: string, specifier: string) => string | undefined;
  /** Called every few hundred files with the number read so far (the progress line). */
  onProgress?: (read: number, candidates: number) => void;
}

/** One buffer for every read: no per-file Buffer allocation (peak memory grows with candidates, not files). */
const READ_BUFFER = Buffer.allocUnsafe(MAX_FILE_BYTES + 1);

function readInto(absPath: string): Buffer {
  const fd = fs.openSync(absPath, 'r');
  try {
    let n = 0;
    for (;;) {
      const r = fs.readSync(fd, READ_BUFFER, n, READ_BUFFER.length - n, null);
      if (r === 0) break;
      n += r;
      if (n === READ_BUFFER.length) break;
    }
    return READ_BUFFER.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

export function filterFiles(files: FileRef[], options: FilterOptions): Filtered {
  const out: Filtered = { candidates: [], diagnostics: [], secretFiles: [] };
  const maybe: Candidate[] = [];
  const candidatePaths = new Set<string>();
  const imports = new Map<string, string[]>();
  let read = 0;
  for (const file of files) {
    if (options.onProgress && ++read % 500 === 0) options.onProgress(read, out.candidates.length);
    if (file.size !== undefined && file.size > MAX_FILE_BYTES) {
      out.diagnostics.push({ kind: 'skipped-file', level: 'warning', file: file.relPath, message: `skipped ${file.relPath}: ${(file.size! / 1024 / 1024).toFixed(1)} MB is over the 1 MB limit` });
      continue;
    }
    let buf: Buffer;
    try {
      buf = readInto(file.absPath);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Gone since discovery (deleted in the work tree but still in git's index): nothing to audit.
      if (code === 'ENOENT') {
        out.diagnostics.push({ kind: 'skipped-file', level: 'note', file: file.relPath, message: `skipped ${file.relPath}: it no longer exists` });
        continue;
      }
      out.diagnostics.push({ kind: 'skipped-file', level: 'error', file: file.relPath, message: `could not read ${file.relPath} (${code ?? (err as Error).message})` });
      continue;
    }
    if (buf.length > MAX_FILE_BYTES) {
      out.diagnostics.push({ kind: 'skipped-file', level: 'warning', file: file.relPath, message: `skipped ${file.relPath}: over the 1 MB limit (${(fs.statSync(file.absPath).size / 1024 / 1024).toFixed(1)} MB)` });
      continue;
    }
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
    // Compiled output that points back at its source (tsc/babel `lib/`, `dist/` committed): the source
    // itself is audited, so the copy would only repeat its findings.
    if (COMPILED_JS.test(file.relPath) && SOURCE_MAP_COMMENT.test(text.slice(-300))) {
      out.diagnostics.push({ kind: 'skipped-file', level: 'note', file: file.relPath, message: `skipped ${file.relPath}: compiled output with a source map` });
      continue;
    }
    if (looksMinified(text)) {
      out.diagnostics.push({ kind: 'skipped-file', level: 'note', file: file.relPath, message: `skipped ${file.relPath}: minified bundle` });
      continue;
    }
    const strong = strongSignal(text);
    if (strong) {
      const candidate = { file, text, signal: strong };
      out.candidates.push(candidate);
      candidatePaths.add(file.absPath);
      if (SECRET_SIGNAL.test(text)) out.secretFiles.push(candidate);
      continue;
    }
    const specs: string[] = [];
    for (const m of text.matchAll(LOCAL_IMPORT)) specs.push(m[1]);
    if (specs.length) imports.set(file.absPath, specs);
    const weak = weakSignal(text);
    if (weak) maybe.push({ file, text, signal: weak });
  }
  // A weakly signalled file matters when it imports Stripe code, directly or through a few modules
  // (routes → services/payments.ts → lib/stripe.ts).
  const reaches = new Map<string, boolean>();
  const reachesStripe = (abs: string, depth: number): boolean => {
    const known = reaches.get(abs);
    if (known !== undefined) return known;
    reaches.set(abs, false); // cycle guard
    let hit = false;
    for (const spec of imports.get(abs) ?? []) {
      const target = options.resolveImport(abs, spec);
      if (!target) continue;
      if (candidatePaths.has(target) || (depth < PROMOTION_DEPTH && reachesStripe(target, depth + 1))) {
        hit = true;
        break;
      }
    }
    reaches.set(abs, hit);
    return hit;
  };
  for (const m of maybe) {
    if (reachesStripe(m.file.absPath, 1)) out.candidates.push({ ...m, signal: `imports Stripe code (${m.signal})` });
  }
  return out;
}
