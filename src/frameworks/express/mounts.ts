// Body parsers that run before a router module's routes because another module registers them on an app
// before mounting that router: `app.use(express.json())` then `app.use('/webhooks', require('./routes/stripe'))`.
// body-parser marks the request as parsed, so a route's own `express.raw()` then never sees the bytes.
import { ts } from '#typescript';
import type { ParsedFile, Parser } from '../../analysis/parse.js';
import type { MountedParser } from '../types.js';
import { accessPath, stringValue, unwrap, walk } from '../../analysis/ast.js';
import { definingModule, importedValue } from '../../analysis/reexports.js';
import { parserKind } from './parsers.js';

const MAX_MOUNT_DEPTH = 4;

interface Use {
  call: ts.CallExpression;
  /** The app or router the middleware is registered on (`app`, `this.app`, `server`). */
  on: string;
  path?: string;
  args: ts.Expression[];
}

interface Mounting {
  from: ParsedFile;
  parsers: MountedParser[];
  /** The app or router that mounts the module (`app` in `app.use('/webhooks', router)`). */
  app: ts.Expression;
}

/**
 * By the absolute path of each mounted router module: the parsers that run before its routes, in order,
 * and the apps that mount it, outermost first (a host that serves one of them reads the body first).
 */
export function mountFacts(files: ParsedFile[], parser: Parser): { parsers: Map<string, MountedParser[]>; apps: Map<string, ts.Expression[]> } {
  const mountedBy = new Map<string, Mounting[]>();
  for (const file of files) {
    if (!/\.use\s*\(/.test(file.text)) continue;
    const uses = usesIn(file);
    for (const u of uses) {
      for (const a of u.args) {
        if (parserKind(a)) continue;
        // The module that defines the router, through re-export files (`export { default as router } from …`).
        const imported = importedValue(a);
        const target = imported && definingModule(parser, file.absPath, imported);
        if (!target || target === file.absPath) continue;
        // Parsers registered earlier on the same app, for a path that covers the mount path.
        const parsers: MountedParser[] = [];
        for (const p of uses) {
          if (p.call.getStart() >= u.call.getStart()) break;
          if (p.on !== u.on || !covers(p.path, u.path)) continue;
          for (const pa of p.args) if (parserKind(pa)) parsers.push({ parser: pa, registration: p.call, mount: u.call, file: file.relPath });
        }
        const list = mountedBy.get(target) ?? [];
        list.push({ from: file, parsers, app: (unwrap(u.call.expression) as ts.PropertyAccessExpression).expression });
        mountedBy.set(target, list);
      }
    }
  }
  // A router mounted by a router that is itself mounted: the outer parsers run first.
  const out = new Map<string, MountedParser[]>();
  const effective = (abs: string, depth: number): MountedParser[] => {
    const known = out.get(abs);
    if (known) return known;
    const mountings = mountedBy.get(abs);
    if (!mountings || depth > MAX_MOUNT_DEPTH) return [];
    // Mounted in several places: report what the first mounting runs (the usual case is one).
    const first = mountings[0];
    const result = [...effective(first.from.absPath, depth + 1), ...first.parsers];
    out.set(abs, result);
    return result;
  };
  const apps = new Map<string, ts.Expression[]>();
  const mountingApps = (abs: string, depth: number): ts.Expression[] => {
    const known = apps.get(abs);
    if (known) return known;
    const first = mountedBy.get(abs)?.[0];
    if (!first || depth > MAX_MOUNT_DEPTH) return [];
    const result = [...mountingApps(first.from.absPath, depth + 1), first.app];
    apps.set(abs, result);
    return result;
  };
  for (const abs of mountedBy.keys()) {
    effective(abs, 0);
    mountingApps(abs, 0);
  }
  for (const [abs, list] of out) if (list.length === 0) out.delete(abs);
  return { parsers: out, apps };
}

function usesIn(file: ParsedFile): Use[] {
  const uses: Use[] = [];
  walk(file.sf, (n) => {
    if (!ts.isCallExpression(n)) return;
    const callee = unwrap(n.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'use') return;
    const on = accessPath(callee.expression)?.join('.');
    if (!on) return;
    let args = [...n.arguments];
    const path = stringValue(args[0]);
    if (path !== undefined) args = args.slice(1);
    uses.push({ call: n, on, path, args });
  });
  return uses.sort((a, b) => a.call.getStart() - b.call.getStart());
}

/** Does a middleware registered for `parserPath` run for requests under `mountPath`? */
function covers(parserPath: string | undefined, mountPath: string | undefined): boolean {
  if (parserPath === undefined || parserPath === '/') return true;
  return mountPath !== undefined && mountPath.startsWith(parserPath);
}
