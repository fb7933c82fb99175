// Which JavaScript runtime a file runs on, when that runtime makes `import Stripe from 'stripe'` load
// stripe-node's worker build, whose default crypto provider is SubtleCrypto (async only).
//
// Sources (stripe 23.1.0 tarball and stripe/stripe-node history):
// - package.json "exports": the conditions `worker` (since 11.8.0, #1660), `deno` (11.16.0, #1726),
//   `workerd` (15.4.0, #2061), `bun` (16.0.0, #2118) and `browser` select `esm/stripe.esm.worker.js`;
//   everything else gets the Node build.
// - src/platform/WebPlatformFunctions.ts: `createDefaultCryptoProvider()` returns the SubtleCryptoProvider
//   (the worker build's default since 11.10.0), and `createNodeCryptoProvider()` throws there.
// - src/crypto/SubtleCryptoProvider.ts: `computeHMACSignature` throws "SubtleCryptoProvider cannot be
//   used in a synchronous context."; src/Webhooks.ts adds "Use `await constructEventAsync(...)`".
// - Next.js resolves edge bundles with the `edge-light` and `worker` conditions
//   (packages/next/src/build/webpack-config-rules/resolve.ts `edgeConditionNames`); wrangler with
//   `workerd` and `worker`; Deno with `deno`; Bun with `bun`.
//
// How the runtime is known, in this order: the file's path (Supabase and Netlify edge functions, Cloudflare
// Pages Functions), the file's own segment config (`export const runtime = 'edge'`, `config = { runtime:
// 'edge' }`) or a Next.js layout above it, the runtime's globals and import forms in the file (`Deno.serve`,
// `npm:` / `jsr:` / URL imports, `Bun.serve`, `cloudflare:` imports), and a wrangler config in the
// file's folder or above it, up to its package (not for a Next.js app deployed through OpenNext).
import fs from 'node:fs';
import path from 'node:path';
import { ts } from '#typescript';
import type { ParsedFile } from '../analysis/parse.js';
import { exportedNames } from '../frameworks/exports.js';
import { propertyValue, stringValue, unwrap } from '../analysis/ast.js';

export interface EdgeRuntime {
  id: 'deno' | 'supabase' | 'netlify-edge' | 'workerd' | 'pages' | 'edge-light' | 'bun';
  /** For messages: "Supabase Edge Functions (Deno)". */
  label: string;
  /** The package.json "exports" condition that selects stripe's worker build there. */
  condition: string;
  /** The first stripe version whose worker build that condition selects (with SubtleCrypto as default). */
  since: string;
}

export interface RuntimeFact extends EdgeRuntime {
  /** Why the tool thinks so: "path supabase/functions/", "exports runtime = 'edge'". */
  evidence: string;
  /** The stripe version named in the file's own import (`npm:stripe@^23.1.0`, `esm.sh/stripe@14.0.0`), if any. */
  importedVersion?: string;
}

const RUNTIMES: Record<EdgeRuntime['id'], EdgeRuntime> = {
  supabase: { id: 'supabase', label: 'Supabase Edge Functions (Deno)', condition: 'deno', since: '11.16.0' },
  'netlify-edge': { id: 'netlify-edge', label: 'Netlify Edge Functions (Deno)', condition: 'deno', since: '11.16.0' },
  deno: { id: 'deno', label: 'Deno', condition: 'deno', since: '11.16.0' },
  pages: { id: 'pages', label: 'Cloudflare Pages Functions', condition: 'workerd', since: '11.10.0' },
  workerd: { id: 'workerd', label: 'Cloudflare Workers', condition: 'workerd', since: '11.10.0' },
  'edge-light': { id: 'edge-light', label: 'the Vercel / Next.js edge runtime', condition: 'worker', since: '11.10.0' },
  bun: { id: 'bun', label: 'Bun', condition: 'bun', since: '16.0.0' },
};

const EDGE_RUNTIME_VALUE = /^(?:experimental-)?edge$/;
const LAYOUT_RUNTIME = /export\s+const\s+runtime\s*=\s*['"](?:experimental-)?edge['"]/;
const LAYOUT_FILES = ['layout.tsx', 'layout.ts', 'layout.jsx', 'layout.js'];
const WRANGLER_FILES = ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'];
const NEXT_CONFIGS = ['next.config.js', 'next.config.mjs', 'next.config.ts', 'next.config.cjs'];
const PAGES_EXPORT = /^onRequest(?:Get|Post|Put|Patch|Delete|Head|Options)?$/;

/** File-level signals, most specific first: each returns its evidence or undefined. */
const FILE_SIGNALS: Array<{ runtime: EdgeRuntime['id']; test: (file: ParsedFile) => string | undefined }> = [
  { runtime: 'supabase', test: (f) => (/(?:^|\/)supabase\/functions\//.test(f.relPath) ? 'it is under supabase/functions/' : undefined) },
  { runtime: 'netlify-edge', test: (f) => (/(?:^|\/)netlify\/edge-functions\//.test(f.relPath) ? 'it is under netlify/edge-functions/' : undefined) },
  {
    runtime: 'pages',
    test: (f) => (/(?:^|\/)functions\/.+\.[cm]?[jt]sx?$/.test(f.relPath) && exportedNames(f.sf).some((n) => PAGES_EXPORT.test(n)) ? 'it exports an onRequest handler under functions/' : undefined),
  },
  { runtime: 'edge-light', test: segmentConfigRuntime },
  { runtime: 'deno', test: (f) => (/\bDeno\.(?:serve|env|listen|readTextFile)\b/.test(f.text) ? 'it uses the Deno global' : importsBy(f, /^(?:npm:|jsr:|https?:\/\/)/) ? 'it imports npm:/jsr:/URL specifiers' : undefined) },
  { runtime: 'bun', test: (f) => (/\bBun\.(?:serve|env|file|write)\b/.test(f.text) ? 'it uses the Bun global' : undefined) },
  { runtime: 'workerd', test: (f) => (importsBy(f, /^cloudflare:/) ? 'it imports cloudflare: modules' : undefined) },
];

/** Answers per file, with a cache for the folder lookups (layouts, wrangler configs). */
export class RuntimeFacts {
  private readonly files = new WeakMap<ts.SourceFile, RuntimeFact | null>();
  private readonly dirs = new Map<string, string | null>();

  constructor(private readonly root: string) {}

  of(file: ParsedFile): RuntimeFact | undefined {
    let fact = this.files.get(file.sf);
    if (fact === undefined) {
      fact = this.compute(file) ?? null;
      this.files.set(file.sf, fact);
    }
    return fact ?? undefined;
  }

  private compute(file: ParsedFile): RuntimeFact | undefined {
    const importedVersion = importedStripeVersion(file);
    for (const s of FILE_SIGNALS) {
      const evidence = s.test(file);
      if (evidence) return { ...RUNTIMES[s.runtime], evidence, importedVersion };
    }
    const layout = this.edgeLayoutAbove(file);
    if (layout) return { ...RUNTIMES['edge-light'], evidence: `${layout} sets runtime = 'edge'`, importedVersion };
    const wrangler = this.wranglerAbove(file);
    if (wrangler) return { ...RUNTIMES.workerd, evidence: `${wrangler} deploys it to Cloudflare`, importedVersion };
    return undefined;
  }

  /** A Next.js layout between a route or page and its `app/` folder that sets runtime = 'edge' (it applies to the segments below). */
  private edgeLayoutAbove(file: ParsedFile): string | undefined {
    if (!/(?:^|\/)(?:route|page)\.[cm]?[jt]sx?$/.test(file.relPath)) return undefined;
    const rel = file.relPath.split('/');
    const appAt = rel.lastIndexOf('app', rel.length - 2);
    if (appAt < 0) return undefined;
    let dir = path.dirname(file.absPath);
    for (let depth = rel.length - 2; depth >= appAt; depth--, dir = path.dirname(dir)) {
      for (const name of LAYOUT_FILES) {
        const text = this.readSmall(path.join(dir, name));
        if (text !== undefined && LAYOUT_RUNTIME.test(text)) return `${rel.slice(0, depth + 1).join('/')}/${name}`;
      }
    }
    return undefined;
  }

  /** wrangler.toml / wrangler.json(c) in the file's folder or above, up to the folder of its package.json and never above the scan root. */
  private wranglerAbove(file: ParsedFile): string | undefined {
    let dir = path.dirname(file.absPath);
    for (;;) {
      const cached = this.dirs.get(dir);
      let found: string | null;
      if (cached !== undefined) found = cached;
      else {
        const config = WRANGLER_FILES.find((n) => isFile(path.join(dir, n)));
        // OpenNext deploys a Next.js app to Workers with its own bundling: leave those to runtime = 'edge'.
        found = config && !NEXT_CONFIGS.some((n) => isFile(path.join(dir, n))) ? path.relative(this.root, path.join(dir, config)).split(path.sep).join('/') : null;
        this.dirs.set(dir, found);
      }
      if (found) return found;
      if (isFile(path.join(dir, 'package.json'))) return undefined;
      const up = path.dirname(dir);
      if (up === dir || !isInsideRoot(up, this.root)) return undefined;
      dir = up;
    }
  }

  /** A regular file under 1 MB (never a link out of the tree, a FIFO or a device). */
  private readSmall(abs: string): string | undefined {
    try {
      const st = fs.lstatSync(abs);
      if (!st.isFile() || st.size > 1024 * 1024) return undefined;
      return fs.readFileSync(abs, 'utf8');
    } catch {
      return undefined;
    }
  }
}

function isFile(abs: string): boolean {
  try {
    return fs.lstatSync(abs).isFile();
  } catch {
    return false;
  }
}

function isInsideRoot(dir: string, root: string): boolean {
  const rel = path.relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** `export const runtime = 'edge'` (Next.js app router) or `export const config = { runtime: 'edge' }` (pages router, Vercel functions). */
function segmentConfigRuntime(file: ParsedFile): string | undefined {
  if (!/runtime/.test(file.text)) return undefined;
  for (const st of file.sf.statements) {
    if (!ts.isVariableStatement(st) || !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer) continue;
      const init = unwrap(d.initializer);
      if (d.name.text === 'runtime' && EDGE_RUNTIME_VALUE.test(stringValue(init) ?? '')) return `it exports runtime = '${stringValue(init)}'`;
      if (d.name.text === 'config' && ts.isObjectLiteralExpression(init)) {
        const v = stringValue(propertyValue(init, 'runtime'));
        if (v && EDGE_RUNTIME_VALUE.test(v)) return `it exports config = { runtime: '${v}' }`;
      }
    }
  }
  return undefined;
}

function importsBy(file: ParsedFile, specifier: RegExp): boolean {
  for (const st of file.sf.statements) {
    if ((ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && specifier.test(stringValue(st.moduleSpecifier) ?? '')) return true;
  }
  return false;
}

/** `import Stripe from 'npm:stripe@^23.1.0'` / `'https://esm.sh/stripe@14.0.0?target=deno'` → '^23.1.0' / '14.0.0'. */
function importedStripeVersion(file: ParsedFile): string | undefined {
  const m = /['"](?:npm:|https?:\/\/esm\.sh\/)stripe@([^'"?/]+)/.exec(file.text);
  return m?.[1];
}
