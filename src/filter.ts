// Stage 2, filter: read each file once and keep only those whose text can matter. Most of a
// repository is dropped here, before any parsing.
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import type { Diagnostic } from './types.js';
import type { FileRef } from './discover.js';
import { reachingFiles } from './promotion.js';
import { ASSIGNS_RAW_BODY, importSpecifiers, SECRET_SIGNAL, Signals, type SignalOptions } from './filter-signals.js';

/** `req.rawBody = …`: a raw-body fact (declared with the NestJS adapter's filter hints; webhooks/analyze.ts reads it). */
export { ASSIGNS_RAW_BODY };

export const MAX_FILE_BYTES = 1024 * 1024;

/** Files per claim from the scan's shared pool (see scan.ts). */
export const POOL_BATCH = 200;

/**
 * The helper's side of the pool (run by the main thread while it waits for the scan): claims batches
 * until the pool is empty and hands back one part per batch, even for a batch that failed (the scan
 * waits for every claimed batch).
 */
export async function helpFilter(files: readonly FileRef[], next: Int32Array, post: (part: FilterPart) => void): Promise<void> {
  for (;;) {
    const from = Atomics.add(next, 0, POOL_BATCH);
    if (from >= files.length) return;
    const to = Math.min(from + POOL_BATCH, files.length);
    let part: FilterPart;
    try {
      part = filterBatch(files, from, to);
    } catch (err) {
      const diagnostic: Diagnostic = { kind: 'skipped-file', level: 'error', file: files[from].relPath, message: `could not filter ${to - from} files from ${files[from].relPath}: ${(err as Error).message}` };
      part = { count: to - from, kept: [], weak: [], diagnostics: [{ order: from, diagnostic }], plainPaths: [] };
    }
    post(part);
    // Between batches, whatever else this thread has to do (loading the analysis) goes on.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

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

const COMPILED_JS = /\.[cm]?js$/;
const SOURCE_MAP_COMMENT = /\/\/# sourceMappingURL=(?!data:)\S+\.map\s*$/;

const decoder = new TextDecoder('utf-8', { fatal: true });

function looksMinified(text: string): boolean {
  if (text.length < 20_000) return false;
  // Average line length over the first 20 kB (native indexOf jumps from newline to newline).
  const limit = 20_000;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < limit; i = text.indexOf('\n', i + 1)) lines++;
  return limit / lines > 500;
}

/** Resolves a relative/alias import of `fromAbs` to an absolute path, if it is a discovered file. */
export type ResolveImport = (fromAbs: string, specifier: string) => string | undefined;

/** UTF-8, or UTF-16 with a byte-order mark, without the BOM; undefined when the bytes are not valid. */
function decodeSource(buf: Buffer, utf16 = buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))): string | undefined {
  // Most source files are ASCII: a SIMD check and a byte copy instead of UTF-8 validation and decoding.
  if (!utf16 && isAscii(buf)) return buf.toString('latin1');
  let text: string;
  try {
    text = utf16 ? new TextDecoder(buf[0] === 0xff ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(buf) : decoder.decode(buf);
  } catch {
    return undefined;
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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

/**
 * What filtering some files found, as plain data: a batch is filtered by whichever thread claimed it
 * (the scan worker, or the main thread helping once it is idle), and the parts are put together in
 * file order by TextFilter.
 */
export interface FilterPart {
  /** Files read. */
  count: number;
  /** Candidates (strongly signalled files), with their position in the scan's file list. */
  kept: Array<{ order: number; candidate: Candidate; secret: boolean; target: boolean }>;
  /**
   * Weakly signalled files with their import specifiers (not their text: few of them are promoted, and
   * those are read again).
   */
  weak: Array<{ order: number; file: FileRef; signal: string; imports: string[] }>;
  diagnostics: Array<{ order: number; diagnostic: Diagnostic }>;
  /** Files read that are not Stripe code: the modules promotion may look through. */
  plainPaths: string[];
}

/** How a scan filters: the signals of its configuration, or every file (`--no-prefilter`). */
export interface FilterOptions {
  signals?: SignalOptions;
  /** Every readable file is a candidate. */
  all?: boolean;
}

const signalsByConfig = new Map<string, Signals>();

function signalsFor(options: SignalOptions = {}): Signals {
  const key = JSON.stringify([options.verifiers ?? [], options.moneyMethods ?? []]);
  let s = signalsByConfig.get(key);
  if (!s) signalsByConfig.set(key, (s = new Signals(options)));
  return s;
}

/** Filters files[from, to); `orderBase` is the position of files[0] in the scan's whole list. */
export function filterBatch(files: readonly FileRef[], from: number, to: number, orderBase = 0, options: FilterOptions = {}): FilterPart {
  const part: FilterPart = { count: to - from, kept: [], weak: [], diagnostics: [], plainPaths: [] };
  const signals = signalsFor(options.signals);
  for (let i = from; i < to; i++) {
    const file = files[i];
    const order = orderBase + i;
    const text = readText(file, (diagnostic) => part.diagnostics.push({ order, diagnostic }));
    if (text === undefined) continue;
    if (options.all) {
      part.kept.push({ order, candidate: { file, text, signal: 'no prefilter' }, secret: SECRET_SIGNAL.test(text), target: false });
      continue;
    }
    const { strong, target, weak } = signals.classify(text, file.relPath);
    if (strong) part.kept.push({ order, candidate: { file, text, signal: strong }, secret: SECRET_SIGNAL.test(text), target: !!target });
    // Stripe code ends a search; any other file may lie on the way to some.
    if (!target) part.plainPaths.push(file.absPath);
    if (strong) continue;
    if (weak) part.weak.push({ order, file, signal: weak, imports: importSpecifiers(text) });
  }
  return part;
}

/** The file's text, or undefined (with a diagnostic) when it is not source code we read. */
function readText(file: FileRef, report: (d: Diagnostic) => void): string | undefined {
  if (file.size !== undefined && file.size > MAX_FILE_BYTES) {
    report({ kind: 'skipped-file', level: 'warning', file: file.relPath, message: `skipped ${file.relPath}: ${(file.size / 1024 / 1024).toFixed(1)} MB is over the 1 MB limit` });
    return undefined;
  }
  let buf: Buffer;
  try {
    buf = readInto(file.absPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Gone since discovery (deleted in the work tree but still in git's index): nothing to audit.
    if (code === 'ENOENT') {
      report({ kind: 'skipped-file', level: 'note', file: file.relPath, message: `skipped ${file.relPath}: it no longer exists` });
      return undefined;
    }
    report({ kind: 'skipped-file', level: 'error', file: file.relPath, message: `could not read ${file.relPath} (${code ?? (err as Error).message})` });
    return undefined;
  }
  if (buf.length > MAX_FILE_BYTES) {
    report({ kind: 'skipped-file', level: 'warning', file: file.relPath, message: `skipped ${file.relPath}: over the 1 MB limit (${(fs.statSync(file.absPath).size / 1024 / 1024).toFixed(1)} MB)` });
    return undefined;
  }
  // UTF-16 with a byte-order mark is text (TypeScript reads it); NUL bytes elsewhere mean binary.
  const utf16 = buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff));
  if (!utf16 && buf.subarray(0, 8000).includes(0)) {
    report({ kind: 'skipped-file', level: 'warning', file: file.relPath, message: `skipped ${file.relPath}: binary content` });
    return undefined;
  }
  const text = decodeSource(buf, utf16);
  if (text === undefined) {
    report({ kind: 'skipped-file', level: 'warning', file: file.relPath, message: `skipped ${file.relPath}: not valid ${utf16 ? 'UTF-16' : 'UTF-8'}` });
    return undefined;
  }
  // Compiled output that points back at its source (tsc/babel `lib/`, `dist/` committed): the source
  // itself is audited, so the copy would only repeat its findings.
  if (COMPILED_JS.test(file.relPath) && SOURCE_MAP_COMMENT.test(text.slice(-300))) {
    report({ kind: 'skipped-file', level: 'note', file: file.relPath, message: `skipped ${file.relPath}: compiled output with a source map` });
    return undefined;
  }
  if (looksMinified(text)) {
    report({ kind: 'skipped-file', level: 'note', file: file.relPath, message: `skipped ${file.relPath}: minified bundle` });
    return undefined;
  }
  return text;
}

/**
 * Puts the parts together (in any order they arrive) and, once every file is in, promotes weakly
 * signalled files whose imports reach Stripe code.
 */
export class TextFilter {
  private readonly kept: FilterPart['kept'] = [];
  private readonly weak: FilterPart['weak'] = [];
  private readonly diagnostics: FilterPart['diagnostics'] = [];
  private readonly candidatePaths = new Set<string>();
  /** Candidates that are Stripe code: what makes a weak file that imports them matter. */
  private readonly targetPaths = new Set<string>();
  private readonly plainPaths = new Set<string>();
  private read = 0;

  constructor(private readonly onProgress?: (read: number, candidates: number) => void) {}

  add(part: FilterPart): void {
    const before = this.read;
    this.read += part.count;
    for (const k of part.kept) {
      this.kept.push(k);
      this.candidatePaths.add(k.candidate.file.absPath);
      if (k.target) this.targetPaths.add(k.candidate.file.absPath);
    }
    this.weak.push(...part.weak);
    this.diagnostics.push(...part.diagnostics);
    for (const p of part.plainPaths) this.plainPaths.add(p);
    if (this.onProgress && Math.floor(this.read / 500) > Math.floor(before / 500)) this.onProgress(this.read, this.candidatePaths.size);
  }

  /**
   * A weakly signalled file matters when its imports reach a strong file, through any number of modules
   * (routes → services/payments.ts → lib/stripe.ts), resolved by the analysis' own module resolver.
   * The graph is explored from the weak files only, and the modules in between are read again here
   * (instead of scanning every file for imports); whether a file is promoted depends on the graph
   * alone, never on the order files were read or explored in (promotion.ts).
   */
  finish(resolveImport: ResolveImport): Filtered {
    const weakByPath = new Map(this.weak.map((w) => [w.file.absPath, w]));
    const promoted = reachingFiles({
      sources: weakByPath.keys(),
      isTarget: (abs) => this.targetPaths.has(abs),
      canExplore: (abs) => this.plainPaths.has(abs),
      importsOf: (abs) => {
        const w = weakByPath.get(abs);
        if (w) return w.imports;
        try {
          return importSpecifiers(decodeSource(readInto(abs)) ?? '');
        } catch {
          return []; // gone since it was read: no edges
        }
      },
      resolve: resolveImport,
    });
    // File order, whichever thread filtered which file: the output does not depend on the timing.
    const byOrder = <T extends { order: number }>(a: T, b: T) => a.order - b.order;
    const out: Filtered = { candidates: [], diagnostics: [...this.diagnostics].sort(byOrder).map((d) => d.diagnostic), secretFiles: [] };
    for (const k of [...this.kept].sort(byOrder)) {
      out.candidates.push(k.candidate);
      if (k.secret) out.secretFiles.push(k.candidate);
    }
    for (const w of [...this.weak].sort(byOrder)) {
      if (!promoted.has(w.file.absPath)) continue;
      const text = readText(w.file, () => {});
      if (text !== undefined) out.candidates.push({ file: w.file, text, signal: `imports Stripe code (${w.signal})` });
    }
    return out;
  }
}
