// Express body parsers: which one a middleware expression is (express.json(), bodyParser.raw({ type }), …).
import { ts } from '#typescript';
import { accessPath, propertyValue, stringValue, unwrap } from '../../analysis/ast.js';

export type ParserKind = 'json' | 'raw' | 'raw-untyped' | 'text';

/** express.json() / bodyParser.json() / json() / express.raw({ type }) … → which parser. */
export function parserKind(expr: ts.Expression): ParserKind | undefined {
  const e = unwrap(expr);
  if (ts.isArrayLiteralExpression(e)) {
    for (const el of e.elements) {
      const k = parserKind(el);
      if (k) return k;
    }
    return undefined;
  }
  if (!ts.isCallExpression(e)) return undefined;
  const path = accessPath(e.expression);
  if (!path) return undefined;
  const fn = path[path.length - 1];
  const owner = path.length > 1 ? path[path.length - 2] : '';
  const fromParserModule = path.length === 1 || /^(express|bodyParser|bodyparser|parser)$/i.test(owner);
  if (!fromParserModule) return undefined;
  if (fn === 'json' || (path.length === 1 && /^bodyParser$/i.test(fn))) return 'json';
  if (fn === 'text') return 'text';
  if (fn === 'raw') {
    const opts = e.arguments[0] && unwrap(e.arguments[0]);
    const type = opts && ts.isObjectLiteralExpression(opts) ? propertyValue(opts, 'type') : undefined;
    if (!type) return 'raw-untyped';
    const matches = (t: ts.Expression): boolean => {
      const s = stringValue(unwrap(t));
      return s === undefined ? true : /json|\*\/\*|application\/\*|^\*$/.test(s);
    };
    const t = unwrap(type);
    if (ts.isArrayLiteralExpression(t)) return t.elements.some(matches) ? 'raw' : 'raw-untyped';
    return matches(t) ? 'raw' : 'raw-untyped';
  }
  return undefined;
}
