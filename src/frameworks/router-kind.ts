// Which router-style framework a file belongs to, from its imports (then from handler parameter names).
import { ts } from '#typescript';
import type { ParsedFile } from '../analysis/parse.js';
import { stringValue } from '../analysis/ast.js';

export type RouterKind = 'express' | 'koa' | 'fastify' | 'hono';

const memo = new WeakMap<ts.SourceFile, RouterKind | undefined>();

function importedModules(file: ParsedFile): string[] {
  const mods: string[] = [];
  for (const s of file.sf.statements) {
    if (ts.isImportDeclaration(s)) mods.push(stringValue(s.moduleSpecifier) ?? '');
  }
  for (const m of file.text.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) mods.push(m[1]);
  return mods;
}

export function routerKindOf(file: ParsedFile): RouterKind | undefined {
  if (memo.has(file.sf)) return memo.get(file.sf);
  const mods = importedModules(file);
  let kind: RouterKind | undefined;
  if (mods.some((m) => m === 'hono' || m.startsWith('hono/') || m.startsWith('npm:hono') || /deno\.land\/x\/hono/.test(m))) kind = 'hono';
  else if (mods.some((m) => m === 'fastify' || m.startsWith('fastify-') || m.startsWith('@fastify/'))) kind = 'fastify';
  else if (mods.some((m) => m === 'koa' || m === '@koa/router' || m === 'koa-router' || m.startsWith('koa-'))) kind = 'koa';
  else if (mods.some((m) => m === 'express' || m === 'body-parser' || m === 'router' || m.startsWith('express-'))) kind = 'express';
  memo.set(file.sf, kind);
  return kind;
}

/** For files that import no framework (a router module typed loosely), guess from the handler's parameters. */
export function routerKindFromParams(fn: ts.FunctionLikeDeclaration): RouterKind {
  const names = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
  if (names[1] === 'reply') return 'fastify';
  if (names.length <= 2 && /^ctx$|^context$/.test(names[0] ?? '')) return 'koa';
  if (names.length === 1 && names[0] === 'c') return 'hono';
  return 'express';
}
