// Where a Stripe secret key or the server SDK reaches browser code:
// - a secret key read from an environment variable that bundlers inline into client bundles
//   (NEXT_PUBLIC_*, VITE_*, REACT_APP_*, EXPO_PUBLIC_*, PUBLIC_* / $env/static/public, NUXT_PUBLIC_*, GATSBY_*),
//   when it is passed to the Stripe constructor or named like a secret key, or when an .env file sets such
//   a variable to an sk_/rk_ value;
// - the server SDK (`stripe`, not `@stripe/stripe-js`) imported by client code: a `'use client'` module (or a
//   module it imports), or any module of a Vite/Create React App single-page app.
import fs from 'node:fs';
import path from 'node:path';
import { ts } from '#typescript';
import type { ParsedFile, Parser } from '../analysis/parse.js';
import type { SourceRange } from '../types.js';
import type { Candidate } from '../scan/filter.js';
import { accessPath, findDeclaration, importSource, rangeOf, stringValue, unwrap, walk } from '../analysis/ast.js';
import { isStripeModule, type StripeResolver } from './resolve.js';
import { MAX_SOURCE_BYTES, readTextFile } from '../scan/safe-read.js';
import { PUBLIC_ENV, PUBLIC_ENV_ASSIGNMENT } from '../../rules/knowledge/public-env.js';

/** A variable named like a Stripe secret or restricted key (not the publishable key, not the webhook secret). */
const SECRET_KEY_NAME = /STRIPE\w*(?:SECRET|_SK(?:_|$)|RESTRICTED|_RK(?:_|$))|(?:SECRET|_SK|RESTRICTED)\w*STRIPE/i;
const NOT_A_SECRET_KEY = /PUBLISHABLE|_PK(?:_|$)|WEBHOOK|WHSEC|SIGNING|ENDPOINT/i;

export type ClientExposure =
  | { kind: 'public-env-constructor'; range: SourceRange; variable: string }
  | { kind: 'public-env-secret-name'; range: SourceRange; variable: string }
  | { kind: 'public-env-file'; range: SourceRange; variable: string; prefix: string }
  | { kind: 'sdk-in-client'; range: SourceRange; module: string; via?: string; why: string };

export function findClientExposures(files: readonly ParsedFile[], secretFiles: readonly Candidate[], parser: Parser, resolver: StripeResolver): ClientExposure[] {
  const out: ClientExposure[] = [];
  for (const c of secretFiles) if (c.file.config && /(?:^|\/)\.env/.test(c.file.relPath)) out.push(...envFileExposures(c.file.relPath, c.text));
  const deps = new PackageDeps();
  const frontend = new FrontendPackages(deps);
  const imports = new ServerSdkImports(parser);
  for (const f of files) {
    out.push(...publicEnvReads(f, resolver, deps));
    const why = hasDirective(f.sf, 'use client') ? "a 'use client' module" : frontend.bundlerFor(f.absPath);
    if (why) out.push(...imports.inClientModule(f, why));
  }
  return out;
}

function envFileExposures(relPath: string, text: string): ClientExposure[] {
  const out: ClientExposure[] = [];
  for (const m of text.matchAll(PUBLIC_ENV_ASSIGNMENT)) {
    const start = m.index! + m[0].indexOf(m[1]);
    const line = text.slice(0, start).split('\n').length;
    const column = start - text.lastIndexOf('\n', start - 1);
    out.push({ kind: 'public-env-file', range: { file: relPath, startLine: line, startColumn: column, endLine: line, endColumn: column + m[1].length }, variable: m[1], prefix: m[2] });
  }
  return out;
}

/** `process.env.NEXT_PUBLIC_X`, `import.meta.env.VITE_X`, `import { PUBLIC_X } from '$env/static/public'`, `env.PUBLIC_X` ($env/dynamic/public). */
function publicEnvName(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
    const p = accessPath(node as ts.Expression);
    if (!p) {
      // import.meta.env.VITE_X: the root is a meta-property
      if (ts.isPropertyAccessExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'env' && ts.isMetaProperty(node.expression.expression)) {
        return PUBLIC_ENV.test(node.name.text) ? node.name.text : undefined;
      }
      return undefined;
    }
    const name = p[p.length - 1];
    if (!PUBLIC_ENV.test(name)) return undefined;
    if (p.length === 3 && p[0] === 'process' && p[1] === 'env') return name;
    if (p.length === 2 && p[0] === 'env' && ts.isIdentifier(unwrap((node as ts.PropertyAccessExpression).expression))) {
      const d = findDeclaration(unwrap((node as ts.PropertyAccessExpression).expression) as ts.Identifier);
      if (d && importSource(d) === '$env/dynamic/public') return name;
    }
    return undefined;
  }
  if (ts.isIdentifier(node) && PUBLIC_ENV.test(node.text) && !ts.isImportSpecifier(node.parent)) {
    const d = findDeclaration(node);
    if (d && ts.isImportSpecifier(d) && importSource(d) === '$env/static/public') return node.text;
  }
  return undefined;
}

function publicEnvReads(f: ParsedFile, resolver: StripeResolver, deps: PackageDeps): ClientExposure[] {
  if (!/PUBLIC_|VITE_|REACT_APP_|GATSBY_/.test(f.text)) return [];
  const out: ClientExposure[] = [];
  walk(f.sf, (n) => {
    const variable = publicEnvName(n);
    if (!variable) return;
    // `REACT_APP_STRIPE_SECRET_KEY` read by an Express package is no browser variable: only the bundler inlines it.
    if (!inlinedThere(variable, f.absPath, deps)) return false;
    const range = rangeOf(f, n);
    if (passedToStripeConstructor(n as ts.Expression, resolver)) out.push({ kind: 'public-env-constructor', range, variable });
    else if (SECRET_KEY_NAME.test(variable) && !NOT_A_SECRET_KEY.test(variable)) out.push({ kind: 'public-env-secret-name', range, variable });
    return false;
  });
  return out;
}

/** The expression is the key given to `new Stripe(…)` / `Stripe(…)` / `require('stripe')(…)`, directly or through a const. */
function passedToStripeConstructor(expr: ts.Expression, resolver: StripeResolver): boolean {
  let n: ts.Node = expr;
  // `process.env.X!`, `process.env.X ?? ''`, `String(process.env.X)`
  while (n.parent && (ts.isNonNullExpression(n.parent) || ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || (ts.isBinaryExpression(n.parent) && n.parent.left === n))) n = n.parent;
  const p = n.parent;
  if (p && (ts.isNewExpression(p) || ts.isCallExpression(p)) && p.arguments?.[0] === n) return resolver.isStripeConstructor(p.expression);
  if (p && ts.isVariableDeclaration(p) && p.initializer === n && ts.isIdentifier(p.name)) {
    const name = p.name.text;
    let used = false;
    walk(p.getSourceFile(), (m) => {
      if (used) return false;
      if (ts.isIdentifier(m) && m.text === name && m !== p.name && findDeclaration(m) === p && passedToStripeConstructor(m, resolver)) used = true;
      return undefined;
    });
    return used;
  }
  return false;
}

/** A directive in the module's prologue (`'use client'`, `'use server'`). */
function hasDirective(sf: ts.SourceFile, directive: string): boolean {
  for (const st of sf.statements) {
    if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) return false;
    if (st.expression.text === directive) return true;
  }
  return false;
}

/** Runtime imports of a module (type-only imports are erased and never reach a bundle). */
function runtimeImports(sf: ts.SourceFile): Array<{ node: ts.Node; spec: string }> {
  const out: Array<{ node: ts.Node; spec: string }> = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const c = st.importClause;
      if (c?.isTypeOnly) continue;
      if (c && !c.name && c.namedBindings && ts.isNamedImports(c.namedBindings) && c.namedBindings.elements.length && c.namedBindings.elements.every((e) => e.isTypeOnly)) continue;
      if (c && usedOnlyAsType(c, sf)) continue;
      const spec = stringValue(st.moduleSpecifier);
      if (spec !== undefined) out.push({ node: st, spec });
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && !st.isTypeOnly) {
      const spec = stringValue(st.moduleSpecifier);
      if (spec !== undefined) out.push({ node: st, spec });
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const init = d.initializer && unwrap(d.initializer);
        if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require') {
          const spec = stringValue(init.arguments[0]);
          if (spec !== undefined) out.push({ node: st, spec });
        }
      }
    }
  }
  return out;
}

/**
 * `import Stripe from 'stripe'` used only in types (`Stripe.Product[]`, `Stripe.ApiList<Stripe.Price>`): TypeScript,
 * SWC, esbuild and Babel drop the import, so nothing ships. Only TypeScript files: JavaScript keeps every import.
 */
function usedOnlyAsType(clause: ts.ImportClause, sf: ts.SourceFile): boolean {
  if (!/\.[cm]?tsx?$/.test(sf.fileName)) return false;
  const names = new Set<string>();
  if (clause.name) names.add(clause.name.text);
  const nb = clause.namedBindings;
  if (nb && ts.isNamespaceImport(nb)) names.add(nb.name.text);
  if (nb && ts.isNamedImports(nb)) for (const e of nb.elements) if (!e.isTypeOnly) names.add(e.name.text);
  if (!names.size) return false;
  let valueUse = false;
  walk(sf, (n) => {
    if (valueUse || ts.isImportDeclaration(n)) return false;
    if (ts.isIdentifier(n) && names.has(n.text) && !inTypePosition(n)) valueUse = true;
    return undefined;
  });
  return !valueUse;
}

function inTypePosition(id: ts.Identifier): boolean {
  // A property name (`x.Stripe`, `{ Stripe: 1 }`) is not a reference to the import.
  const p = id.parent;
  if ((ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id)) return true;
  for (let n: ts.Node = id; n.parent; n = n.parent) {
    const a = n.parent;
    if (ts.isTypeNode(a) || ts.isInterfaceDeclaration(a) || ts.isTypeAliasDeclaration(a)) return true;
    if (ts.isHeritageClause(a)) return a.token === ts.SyntaxKind.ImplementsKeyword;
    if (ts.isStatement(a) || (ts.isExpression(a) && !ts.isQualifiedName(n))) return false;
  }
  return false;
}

/** Which modules pull the server SDK into a bundle, through their own imports (memoised, cycle-safe). */
class ServerSdkImports {
  private memo = new Map<string, string | null>();
  constructor(private readonly parser: Parser) {}

  inClientModule(f: ParsedFile, why: string): ClientExposure[] {
    const out: ClientExposure[] = [];
    for (const { node, spec } of runtimeImports(f.sf)) {
      if (isStripeModule(spec)) {
        out.push({ kind: 'sdk-in-client', range: rangeOf(f, node), module: spec, why });
        continue;
      }
      if (!isLocalSpecifier(spec)) continue;
      const target = this.parser.importModule(f, spec);
      const via = target && this.pullsSdk(target, 0);
      if (via) out.push({ kind: 'sdk-in-client', range: rangeOf(f, node), module: spec, via, why });
    }
    return out;
  }

  /** The path (relative) of the module that imports `stripe`, when this module pulls it in. */
  private pullsSdk(f: ParsedFile, depth: number): string | undefined {
    const known = this.memo.get(f.absPath);
    if (known !== undefined) return known ?? undefined;
    this.memo.set(f.absPath, null); // cycle guard
    let result: string | undefined;
    // Server-only modules never reach a client bundle: Next.js refuses to build when a client module imports
    // them ('server-only'), and a 'use server' module becomes a reference to a server action.
    const serverOnly = hasDirective(f.sf, 'use server') || runtimeImports(f.sf).some((i) => i.spec === 'server-only');
    if (!serverOnly) {
      for (const { spec } of runtimeImports(f.sf)) {
        if (isStripeModule(spec)) {
          result = f.relPath;
          break;
        }
        if (depth >= 6 || !isLocalSpecifier(spec)) continue;
        const target = this.parser.importModule(f, spec);
        const deeper = target && this.pullsSdk(target, depth + 1);
        if (deeper) {
          result = deeper;
          break;
        }
      }
    }
    this.memo.set(f.absPath, result ?? null);
    return result;
  }
}

function isLocalSpecifier(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('@/') || spec.startsWith('~/') || spec.startsWith('#') || spec.startsWith('$lib');
}

/** Frameworks that render on a server too: their Vite apps have server modules, so a stripe import is not by itself client code. */
const SERVER_CAPABLE = ['@sveltejs/kit', '@remix-run/dev', '@react-router/dev', 'nuxt', 'astro', '@tanstack/react-start', '@tanstack/start', 'vike', 'vite-plugin-ssr', '@analogjs/platform', '@solidjs/start', 'vinxi', 'next', 'express', 'fastify', 'hono', 'koa', '@nestjs/core', 'electron', 'vite-plugin-electron', '@vitejs/plugin-rsc', 'wrangler'];

/** The dependency names of the package.json nearest above a folder (memoised; read as data, never blocking). */
class PackageDeps {
  private byDir = new Map<string, ReadonlySet<string> | null>();

  of(dir: string): ReadonlySet<string> | undefined {
    const known = this.byDir.get(dir);
    if (known !== undefined) return known ?? undefined;
    let result: ReadonlySet<string> | null = null;
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        // The checkout may put a FIFO or a device there.
        const json = JSON.parse(readTextFile(pj, MAX_SOURCE_BYTES)) as { dependencies?: object; devDependencies?: object } | null;
        result = new Set(json && typeof json === 'object' ? [...Object.keys(json.dependencies ?? {}), ...Object.keys(json.devDependencies ?? {})] : []);
      } catch {
        result = new Set();
      }
    } else {
      const up = path.dirname(dir);
      result = up === dir ? null : (this.of(up) ?? null);
    }
    this.byDir.set(dir, result);
    return result ?? undefined;
  }
}

/** Single-page apps whose every module is bundled for the browser: Create React App, and Vite apps without a server side. */
class FrontendPackages {
  constructor(private readonly deps: PackageDeps) {}

  bundlerFor(absFile: string): string | undefined {
    // Server folders of a mixed package are not client code.
    if (/[/\\](?:server|api|functions|backend|scripts|netlify|supabase)[/\\]/.test(absFile)) return undefined;
    const deps = this.deps.of(path.dirname(absFile));
    if (!deps) return undefined;
    if (deps.has('react-scripts')) return 'a module of a Create React App app';
    if (deps.has('vite') && !SERVER_CAPABLE.some((d) => deps.has(d))) return 'a module of a Vite single-page app';
    return undefined;
  }
}

/** The packages whose bundler inlines variables with a prefix (the variable is public only there). */
const BUNDLERS_OF_PREFIX: ReadonlyArray<[RegExp, readonly string[]]> = [
  [/^NEXT_PUBLIC_/, ['next']],
  [/^VITE_/, ['vite']],
  [/^REACT_APP_/, ['react-scripts']],
  [/^EXPO_PUBLIC_/, ['expo']],
  [/^NUXT_PUBLIC_/, ['nuxt']],
  [/^GATSBY_/, ['gatsby']],
  [/^PUBLIC_/, ['@sveltejs/kit', 'astro']],
];

/** Does the package holding the file use the bundler that makes this variable public (unknown without a package.json: yes)? */
function inlinedThere(variable: string, absFile: string, deps: PackageDeps): boolean {
  const pkg = deps.of(path.dirname(absFile));
  if (!pkg) return true;
  const bundlers = BUNDLERS_OF_PREFIX.find(([re]) => re.test(variable))?.[1] ?? [];
  return bundlers.some((b) => pkg.has(b));
}
