// NestJS: `@Post()` methods of `@Controller()` classes. The raw body is `req.rawBody`, available only when
// the app is created with `NestFactory.create(AppModule, { rawBody: true })` and the body parser is on.
import { ts } from '#typescript';
import type { ParsedFile } from '../../analysis/parse.js';
import type { FrameworkAdapter, HandlerEntry, ProjectFacts } from '../types.js';
import { accessPath, calleeName, propertyValue, unwrap, walk } from '../../analysis/ast.js';
import { hints } from './hints.js';
import { ASSIGNS_RAW_BODY } from '../raw-body-hint.js';
import { nestGuards } from './guards.js';
import { isControllerDecorator } from './controllers.js';


function decoratorNames(node: ts.Node): string[] {
  const decorators = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
  return decorators.map((d) => (ts.isCallExpression(d.expression) ? calleeName(d.expression) : ts.isIdentifier(d.expression) ? d.expression.text : undefined) ?? '');
}

export const nestjs: FrameworkAdapter = {
  name: 'nestjs',
  label: 'NestJS',
  filterHints: hints,
  entries(file, ctx) {
    if (!hints.entryText!.test(file.text)) return [];
    const out: HandlerEntry[] = [];
    walk(file.sf, (n) => {
      if (!ts.isClassDeclaration(n) || !(ts.getDecorators(n) ?? []).some((d) => isControllerDecorator(d, ctx))) return;
      for (const m of n.members) {
        if (ts.isMethodDeclaration(m) && m.body && decoratorNames(m).some((d) => d === 'Post' || d === 'All')) {
          out.push({ framework: 'nestjs', file, fn: m, reportNode: m.name });
        }
      }
      return false;
    });
    return out;
  },
  projectFacts: (files) => ({ nestRawBody: nestRawBody(files) }),
  guards: nestGuards,
  parsedBodyParam: (p) => (decoratorNames(p).includes('Body') ? 'the `@Body()` parameter, which Nest has already parsed' : undefined),
  requestBody: () => ({ parsed: true, reason: 'Nest parses JSON bodies into req.body / @Body()' }),
  wiringProblem(_entry, ctx) {
    if (ctx.facts.nestRawBody === 'missing') return 'the app is created without `rawBody: true` (NestFactory.create), so req.rawBody is undefined';
    if (ctx.facts.nestRawBody === 'bodyParser-disabled') return 'the app disables the body parser (`bodyParser: false`), and Nest only fills req.rawBody while it is enabled';
    return undefined;
  },
  rawBodyFix: 'create the app with `NestFactory.create(AppModule, { rawBody: true })` and pass `req.rawBody` from `@Req() req: RawBodyRequest<Request>`',
};

/** NestFactory.create(…, { rawBody, bodyParser }) across the scanned code. */
function nestRawBody(files: ParsedFile[]): ProjectFacts['nestRawBody'] {
  let result: ProjectFacts['nestRawBody'] = 'unknown';
  for (const f of files) {
    if (!f.text.includes('NestFactory')) continue;
    walk(f.sf, (n) => {
      if (!ts.isCallExpression(n) || accessPath(n.expression)?.join('.') !== 'NestFactory.create') return;
      const opts = n.arguments[n.arguments.length - 1];
      const o = opts && unwrap(opts);
      let state: ProjectFacts['nestRawBody'] = 'missing';
      if (o && ts.isObjectLiteralExpression(o)) {
        const raw = propertyValue(o, 'rawBody');
        const bp = propertyValue(o, 'bodyParser');
        if (bp && unwrap(bp).kind === ts.SyntaxKind.FalseKeyword) state = 'bodyParser-disabled';
        else if (raw && unwrap(raw).kind === ts.SyntaxKind.TrueKeyword) state = 'enabled';
      }
      if (result !== 'enabled') result = state;
    });
  }
  // The app's own middleware keeps the raw bytes (`req.rawBody = await getRawBody(req)`): whatever
  // NestFactory.create says, req.rawBody may well be there.
  if ((result as ProjectFacts['nestRawBody']) === 'missing' && files.some((f) => ASSIGNS_RAW_BODY.test(f.text))) result = 'unknown';
  return result;
}
