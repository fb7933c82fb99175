// Stage 3, parse: candidates are parsed with the TypeScript parser that ts-morph ships (syntax only: no
// Program, no type checker). Modules that candidates import are parsed lazily, when resolution asks.
import path from 'node:path';
import { ts } from '#typescript';
import type { Diagnostic } from '../types.js';
import { toPosix } from '../scan/discover.js';
import { MAX_FILE_BYTES, decodeSource } from '../scan/read-source.js';
import { readRegularFile } from '../scan/safe-read.js';
import { noLinkOutside } from '../scan/tree-bounds.js';
import type { ModuleResolver } from '../scan/module-resolver.js';

export interface ParsedFile {
  absPath: string;
  relPath: string;
  text: string;
  sf: ts.SourceFile;
}

function scriptKind(file: string): ts.ScriptKind {
  switch (path.extname(file)) {
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.ts':
    case '.mts':
    case '.cts':
      return ts.ScriptKind.TS;
    default:
      return ts.ScriptKind.JSX; // .js may hold JSX; the JSX grammar is a superset for our purposes
  }
}

/** Source files parsed before the analysis started (parseAhead), by path, with the text they were parsed from. */
export type ParsedAhead = Map<string, { text: string; sf: ts.SourceFile }>;

/**
 * Parses files before the analysis needs them, into `into`: the engine does it with the candidates the scan
 * worker posts while it still promotes (the main thread would wait idle). A file that does not parse is left
 * for parseText, which reports it.
 */
export function parseAhead(files: ReadonlyArray<{ absPath: string; text: string }>, into: ParsedAhead): void {
  for (const { absPath, text } of files) {
    if (into.has(absPath)) continue;
    try {
      into.set(absPath, { text, sf: ts.createSourceFile(absPath, text, ts.ScriptTarget.Latest, true, scriptKind(absPath)) });
    } catch {
      /* parseText parses it again and reports why it cannot */
    }
  }
}

export class Parser {
  private cache = new Map<string, ParsedFile | null>();
  readonly diagnostics: Diagnostic[] = [];
  parsedCount = 0;

  constructor(
    private readonly root: string,
    readonly resolver: ModuleResolver,
    /** Files parsed ahead; each is used once, when parseText gets the same path and text. */
    private readonly ahead?: ParsedAhead,
  ) {}

  private rel(abs: string): string {
    return toPosix(path.relative(this.root, abs)) || path.basename(abs);
  }

  /** The files parsed so far (candidates, and the modules resolution pulled in). */
  parsedFiles(): ParsedFile[] {
    return [...this.cache.values()].filter((f): f is ParsedFile => !!f);
  }

  /** Parse a file whose text is already in hand (a filter candidate). */
  parseText(absPath: string, text: string): ParsedFile | undefined {
    const cached = this.cache.get(absPath);
    if (cached !== undefined) return cached ?? undefined;
    let sf: ts.SourceFile;
    const early = this.ahead?.get(absPath);
    this.ahead?.delete(absPath);
    try {
      sf = early && early.text === text ? early.sf : ts.createSourceFile(absPath, text, ts.ScriptTarget.Latest, true, scriptKind(absPath));
    } catch (err) {
      // TypeScript's parser recurses on some nesting (3,000 chained `a ? b :`, 1,000 nested brackets) and
      // runs out of stack where tsc would too: this file is not audited, the others are.
      if (!(err instanceof RangeError)) throw err;
      this.diagnostics.push({ kind: 'parse-error', level: 'error', file: this.rel(absPath), message: `skipped ${this.rel(absPath)}: nested too deeply to parse (${err.message})` });
      this.cache.set(absPath, null);
      return undefined;
    }
    this.parsedCount++;
    const errors = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
    if (errors.length) {
      const first = errors[0];
      const { line, character } = sf.getLineAndCharacterOfPosition(first.start);
      const message = ts.flattenDiagnosticMessageText(first.messageText, ' ');
      this.diagnostics.push({ kind: 'parse-error', level: 'error', file: this.rel(absPath), line: line + 1, message: `skipped ${this.rel(absPath)}: it does not parse (${line + 1}:${character + 1} ${message})` });
      this.cache.set(absPath, null);
      return undefined;
    }
    const parsed: ParsedFile = { absPath, relPath: this.rel(absPath), text, sf };
    this.cache.set(absPath, parsed);
    return parsed;
  }

  /** Parse a module on demand (an import target that was not a candidate). */
  get(absPath: string): ParsedFile | undefined {
    const cached = this.cache.get(absPath);
    if (cached !== undefined) return cached ?? undefined;
    let text: string;
    try {
      // An import target reached through a symlink is read only when it stays inside the scanned tree.
      if (!noLinkOutside(absPath, this.root)) throw new Error('a symlink out of the scanned tree');
      text = decodeSource(readRegularFile(absPath, MAX_FILE_BYTES));
    } catch {
      this.cache.set(absPath, null);
      return undefined;
    }
    return this.parseText(absPath, text);
  }

  /** Resolve `specifier` imported by `from` and parse the target. */
  importModule(from: ParsedFile, specifier: string): ParsedFile | undefined {
    const target = this.resolver.resolve(from.absPath, specifier);
    return target ? this.get(target) : undefined;
  }
}
