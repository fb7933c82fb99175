// Reading package.json files: the `stripe` declaration with its exact position (findings are reported
// at the "stripe" key), workspaces globs and the packageManager field. Tolerant: a broken file is a
// diagnostic, never an exception.
import { parseTree, findNodeAtLocation, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { SourceRange } from '../types.js';
import { readTextFile } from '../scan/safe-read.js';

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;
export type DepField = (typeof DEP_FIELDS)[number];

export interface Manifest {
  path: string;
  text: string;
  json: Record<string, unknown>;
  /** The syntax tree with offsets (built when first asked for). */
  readonly tree: Node;
}

export type ReadResult = { ok: true; manifest: Manifest } | { ok: false; error: string };

const cache = new Map<string, ReadResult>();

/** Parse a package.json (memoised per run through `clearManifestCache`). */
export function readManifest(file: string): ReadResult {
  const hit = cache.get(file);
  if (hit) return hit;
  const result = readManifestUncached(file);
  cache.set(file, result);
  return result;
}

export function clearManifestCache(): void {
  cache.clear();
}

function readManifestUncached(file: string): ReadResult {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (err) {
    return { ok: false, error: `cannot read: ${(err as Error).message}` };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // jsonc-parser's tree is built by recursion: a hostile file nested deep enough would overflow the stack.
  // No real package.json comes near this depth.
  if (nestingDepth(text) > MAX_DEPTH) return { ok: false, error: `nested deeper than ${MAX_DEPTH} levels (not a real package.json)` };
  // A monorepo has hundreds of manifests: the native parser first; jsonc-parser's tree (positions) only
  // for an error's position and for manifests that declare stripe.
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const errors: ParseError[] = [];
    parseTree(text, errors, JSONC_OPTIONS);
    const e = errors[0];
    if (!e) return { ok: false, error: `invalid JSON: ${(err as Error).message}` };
    const at = lineCol(text, e.offset);
    return { ok: false, error: `invalid JSON: ${printParseErrorCode(e.error)} at ${at.line}:${at.column}` };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { ok: false, error: 'invalid JSON: not an object' };
  let tree: Node | undefined;
  const manifest: Manifest = {
    path: file,
    text,
    json: json as Record<string, unknown>,
    get tree() {
      return (tree ??= parseTree(text, [], JSONC_OPTIONS)!);
    },
  };
  return { ok: true, manifest };
}

const JSONC_OPTIONS = { allowTrailingComma: false, disallowComments: true };
const MAX_DEPTH = 200;

/** The deepest nesting of `{` and `[` outside strings (a linear scan, no recursion). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

export interface StripeDeclaration {
  spec: string;
  field: DepField;
  range: Omit<SourceRange, 'file'>;
}

/**
 * The `stripe` entry of a manifest. When stripe appears in several fields the one that decides what is
 * installed wins: dependencies, then devDependencies, optionalDependencies, peerDependencies.
 */
export function stripeDeclaration(m: Manifest): StripeDeclaration | undefined | { error: string } {
  const order: DepField[] = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];
  if (!order.some((field) => m.json[field] && typeof m.json[field] === 'object' && 'stripe' in (m.json[field] as object))) return undefined;
  for (const field of order) {
    const node = findNodeAtLocation(m.tree, [field, 'stripe']);
    if (!node) continue;
    const prop = node.parent; // the property node: [key, value]
    if (node.type !== 'string') {
      return { error: `"${field}.stripe" is not a string` };
    }
    const keyNode = prop?.children?.[0] ?? node;
    const start = lineCol(m.text, keyNode.offset);
    const end = lineCol(m.text, node.offset + node.length);
    return {
      spec: String(node.value),
      field,
      range: { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column },
    };
  }
  return undefined;
}

/** Workspace globs of a root package.json (`workspaces: [...]` or `workspaces: { packages: [...] }`). */
export function workspaceGlobs(json: Record<string, unknown>): string[] {
  const ws = json.workspaces;
  const list = Array.isArray(ws) ? ws : ws && typeof ws === 'object' ? (ws as { packages?: unknown }).packages : undefined;
  return Array.isArray(list) ? list.filter((g): g is string => typeof g === 'string') : [];
}

/** 1-based line and column of an offset. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
