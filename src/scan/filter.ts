// Stage 2, filter: read each file once and keep only those whose text can matter. Most of a
// repository is dropped here, before any parsing.
import type { Diagnostic } from '../types.js';
import type { FileRef } from './discover.js';
import { ImportIndex } from './promotion.js';
import type { BareSpecifiers } from './module-resolver.js';
import { joinedImportSpecifiers, SECRET_SIGNAL, Signals, type SignalOptions } from './filter-signals.js';
import { readText } from './read-source.js';
import { trace } from '../util/trace.js';


export { MAX_FILE_BYTES } from './read-source.js';

/** Files per claim from the scan's shared pool (see scan.ts). */
export const POOL_BATCH = 200;

/**
 * The helper's side of the pool (run by the main thread while it waits for the scan): claims batches
 * until the pool is empty and hands back one part per batch, even for a batch that failed (the scan
 * waits for every claimed batch).
 */
export async function helpFilter(files: readonly FileRef[], next: Int32Array, post: (part: FilterPart) => void): Promise<void> {
  for (let batches = 0; ; batches++) {
    const from = Atomics.add(next, 0, POOL_BATCH);
    if (from >= files.length) return trace(`helped: ${batches} batches filtered`);
    if (!batches) trace('helping: first batch');
    const to = Math.min(from + POOL_BATCH, files.length);
    let part: FilterPart;
    try {
      part = filterBatch(files, from, to);
    } catch (err) {
      const diagnostic: Diagnostic = { kind: 'skipped-file', level: 'error', file: files[from].relPath, message: `could not filter ${to - from} files from ${files[from].relPath}: ${(err as Error).message}` };
      part = { count: to - from, kept: [], diagnostics: [{ order: from, diagnostic }], modules: [], configs: [] };
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

/** Resolves a relative/alias import of `fromAbs` to an absolute path, if it is a discovered file. */
export type ResolveImport = (fromAbs: string, specifier: string) => string | undefined;

/**
 * What filtering some files found, as plain data: a batch is filtered by whichever thread claimed it
 * (the scan worker, or the main thread helping once it is idle), and the parts are put together in
 * file order by TextFilter.
 */
export interface FilterPart {
  /** Files read. */
  count: number;
  /** Candidates (strongly signalled files), by their position in the scan's file list. */
  kept: Array<{ order: number; text: string; signal: string; secret: boolean; target: boolean }>;
  diagnostics: Array<{ order: number; diagnostic: Diagnostic }>;
  /**
   * Files read that are not Stripe code, with their import specifiers (collected by whichever thread
   * read the file), one per line: where a chain of imports to Stripe code may start or pass (TextFilter.finish).
   */
  modules: Array<{ order: number; imports: string }>;
  /** package.json and tsconfig/jsconfig files read: the workspace and the module resolver take their texts from here. */
  configs: Array<{ order: number; text: string }>;
}

/** package.json, tsconfig*.json, jsconfig*.json (and `_tsconfig.base.json` and the like, which others extend). */
const RESOLVER_CONFIG = /(?:^|\/)(?:package\.json|_?[tj]sconfig[^/]*\.json)$/;

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
  const part: FilterPart = { count: to - from, kept: [], diagnostics: [], modules: [], configs: [] };
  const signals = signalsFor(options.signals);
  for (let i = from; i < to; i++) {
    const file = files[i];
    const order = orderBase + i;
    const text = readText(file, (diagnostic) => part.diagnostics.push({ order, diagnostic }));
    if (text === undefined) continue;
    // Configuration files are only searched for keys (the key rules read them); they are never parsed.
    if (file.config) {
      if (SECRET_SIGNAL.test(text)) part.kept.push({ order, text, signal: 'key in a configuration file', secret: true, target: false });
      if (RESOLVER_CONFIG.test(file.relPath)) part.configs.push({ order, text });
      continue;
    }
    if (options.all) {
      part.kept.push({ order, text, signal: 'no prefilter', secret: SECRET_SIGNAL.test(text), target: false });
      continue;
    }
    const { strong, target } = signals.classify(text, file.relPath);
    if (strong) part.kept.push({ order, text, signal: strong, secret: SECRET_SIGNAL.test(text), target: !!target });
    // Stripe code ends a search; any other file may lie on the way to some.
    if (!target) part.modules.push({ order, imports: joinedImportSpecifiers(text) });
  }
  return part;
}

/** A candidate as the thread that found it posts it, for the main thread to parse ahead (engine.ts). */
export interface EarlyCandidate {
  absPath: string;
  text: string;
}

/** The source files a part kept for their own text (not configuration files): what the analysis will parse. */
export function earlyCandidates(part: FilterPart, files: readonly FileRef[]): EarlyCandidate[] {
  return part.kept.flatMap(({ order, text }) => (files[order].config ? [] : [{ absPath: files[order].absPath, text }]));
}

/**
 * Puts the parts together (in any order they arrive) and, once every file is in, promotes weakly
 * signalled files whose imports reach Stripe code.
 */
export class TextFilter {
  private readonly kept: FilterPart['kept'] = [];
  private readonly diagnostics: FilterPart['diagnostics'] = [];
  private readonly candidatePaths = new Set<string>();
  /** Candidates that are Stripe code: what makes a weak file that imports them matter. */
  private readonly targetPaths = new Set<string>();
  /** Files read that are not Stripe code, by path: their position in the file list. */
  private readonly moduleOrder = new Map<string, number>();
  /** Their import specifiers, filed for promotion's search as the parts come in. */
  private readonly imports = new ImportIndex();
  /** Texts of the package.json and tsconfig files read, by path (FilterPart.configs). */
  readonly configTexts = new Map<string, string>();
  private read = 0;

  /**
   * `files`: the scan's file list, which the parts' positions index (it grows as later files are listed):
   * a part carries positions, not file records, as it crosses between threads.
   */
  constructor(
    private readonly files: readonly FileRef[],
    private readonly onProgress?: (read: number, candidates: number) => void,
  ) {}

  add(part: FilterPart): void {
    const before = this.read;
    this.read += part.count;
    for (const k of part.kept) {
      this.kept.push(k);
      const { absPath } = this.files[k.order];
      this.candidatePaths.add(absPath);
      if (k.target) this.targetPaths.add(absPath);
    }
    this.diagnostics.push(...part.diagnostics);
    for (const m of part.modules) {
      const { absPath } = this.files[m.order];
      this.moduleOrder.set(absPath, m.order);
      if (m.imports) this.imports.add(absPath, m.imports);
    }
    for (const c of part.configs) this.configTexts.set(this.files[c.order].absPath, c.text);
    if (this.onProgress && Math.floor(this.read / 500) > Math.floor(before / 500)) this.onProgress(this.read, this.candidatePaths.size);
  }

  /**
   * A weakly signalled file matters when its imports reach a strong file, through any number of modules
   * (routes → services/payments.ts → lib/stripe.ts), resolved by the analysis' own module resolver.
   * The graph is searched backwards from the Stripe code with the import specifiers collected when each
   * file was read; only the files found to reach it are read again, to ask whether they are weakly
   * signalled. Whether a file is promoted depends on the graph alone, never on the order files were read
   * or explored in (promotion.ts). `bare`: how bare specifiers can mean scanned files
   * (ModuleResolver.bareSpecifiers); without it, every bare specifier is resolved.
   */
  finish(resolveImport: ResolveImport, options: FilterOptions = {}, bare?: () => BareSpecifiers): Filtered {
    // With --no-prefilter every file is a candidate already: there are no targets and nothing to promote.
    const reaching = this.imports.reaching(this.targetPaths, resolveImport, bare);
    trace(`promotion: ${reaching.size} files reach Stripe code`);
    // File order, whichever thread filtered which file: the output does not depend on the timing.
    const byOrder = <T extends { order: number }>(a: T, b: T) => a.order - b.order;
    const out: Filtered = { candidates: [], diagnostics: [...this.diagnostics].sort(byOrder).map((d) => d.diagnostic), secretFiles: [] };
    for (const { order, text, signal, secret } of [...this.kept].sort(byOrder)) {
      const candidate = { file: this.files[order], text, signal };
      if (!candidate.file.config) out.candidates.push(candidate);
      if (secret) out.secretFiles.push(candidate);
    }
    const signals = signalsFor(options.signals);
    const reached = [...reaching].flatMap((p) => (this.candidatePaths.has(p) ? [] : [this.moduleOrder.get(p)!])).sort((a, b) => a - b);
    let promoted = 0;
    for (const order of reached) {
      const file = this.files[order];
      const text = readText(file, () => {});
      const signal = text === undefined ? undefined : signals.weakSignal(text, file.relPath);
      if (!signal) continue;
      out.candidates.push({ file, text: text!, signal: `imports Stripe code (${signal})` });
      promoted++;
    }
    trace(`promoted ${promoted} of them (entry points, catalogued calls, client components)`);
    return out;
  }
}
