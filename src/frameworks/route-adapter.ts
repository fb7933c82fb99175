// Entries for one router-style framework: the file's routes, when the file belongs to that framework.
import type { ParsedFile } from '../analysis/parse.js';
import type { AdapterContext, HandlerEntry } from './types.js';
import { routeEntries } from './routes.js';
import { routerKindFromParams, routerKindOf, type RouterKind } from './router-kind.js';

export function entriesFor(kind: RouterKind, file: ParsedFile, ctx: AdapterContext): HandlerEntry[] {
  const fileKind = routerKindOf(file);
  if (fileKind && fileKind !== kind) return [];
  const entries = routeEntries(file, ctx, kind);
  return fileKind ? entries : entries.filter((e) => routerKindFromParams(e.fn) === kind);
}
