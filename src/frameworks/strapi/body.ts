// Strapi's body middleware (`strapi::body`, koa-body underneath) parses ctx.request.body and keeps the
// unparsed text under Symbol.for('unparsedBody') only when config/middlewares sets `includeUnparsed: true`
// on it. It never sets ctx.request.rawBody.
import { ts } from '#typescript';
import type { ParsedFile } from '../../analysis/parse.js';
import type { ProjectFacts } from '../types.js';
import { propertyValue, stringValue, unwrap, walk } from '../../analysis/ast.js';

const MIDDLEWARES_FILE = /(?:^|\/)config\/(?:env\/[^/]+\/)?middlewares\.[cm]?[jt]s$/;

export function strapiBodyFacts(files: ParsedFile[]): Pick<ProjectFacts, 'strapiBody'> {
  let found: ProjectFacts['strapiBody'];
  for (const file of files) {
    if (!MIDDLEWARES_FILE.test(file.relPath) || !file.text.includes('strapi::body')) continue;
    walk(file.sf, (n) => {
      if (!ts.isObjectLiteralExpression(n) || stringValue(propertyValue(n, 'name')) !== 'strapi::body') return;
      const config = propertyValue(n, 'config');
      const c = config && unwrap(config);
      const inc = c && ts.isObjectLiteralExpression(c) ? propertyValue(c, 'includeUnparsed') : undefined;
      const includeUnparsed = !inc ? false : unwrap(inc).kind === ts.SyntaxKind.TrueKeyword ? true : unwrap(inc).kind === ts.SyntaxKind.FalseKeyword ? false : undefined;
      // Several environments: one that keeps the unparsed body is enough to trust it.
      if (!found || found.includeUnparsed === false) found = { includeUnparsed, file: file.relPath };
      return false;
    });
    // `'strapi::body'` as a bare string: the defaults, without the unparsed body.
    found ??= { includeUnparsed: false, file: file.relPath };
  }
  return { strapiBody: found };
}
