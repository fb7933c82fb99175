// Framework-free Node: http.createServer((req, res) => …) / server.on('request', handler).
import { ts } from '#typescript';
import type { FrameworkAdapter, HandlerEntry } from '../types.js';
import { resolveHandler, reportNodeOf } from '../routes.js';
import { accessPath, stringValue, walk } from '../../analysis/ast.js';
import { hints } from './hints.js';

export const nodeHttp: FrameworkAdapter = {
  name: 'node-http',
  label: 'Node http',
  filterHints: hints,
  entries(file, ctx) {
    if (!/createServer|on\(\s*['"]request['"]/.test(file.text)) return [];
    const out: HandlerEntry[] = [];
    walk(file.sf, (n) => {
      if (!ts.isCallExpression(n)) return;
      const path = accessPath(n.expression);
      const last = path?.[path.length - 1];
      let target: ts.Expression | undefined;
      if (last === 'createServer' && path!.length <= 2 && (path!.length === 1 || /^(http|https|http2|node:http)$/.test(path![0]))) target = n.arguments[n.arguments.length - 1];
      else if (last === 'on' && stringValue(n.arguments[0]) === 'request') target = n.arguments[1];
      const fn = target && resolveHandler(target, ctx);
      if (fn && fn.parameters.length >= 1) out.push({ framework: 'node-http', file, fn, reportNode: reportNodeOf(fn) });
    });
    return out;
  },
  rawBodyFix: 'collect the request chunks into a Buffer (`Buffer.concat(chunks)`) and pass that Buffer',
};
