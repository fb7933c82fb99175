// NestJS: `@Post()` methods of `@Controller()` classes. The raw body is `req.rawBody`, available only when
// the app is created with `NestFactory.create(AppModule, { rawBody: true })` and the body parser is on.
import { ts } from '#typescript';
import type { FrameworkAdapter, HandlerEntry } from '../types.js';
import { calleeName, walk } from '../../ast.js';
import { hints } from './hints.js';

function decoratorNames(node: ts.Node): string[] {
  const decorators = ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
  return decorators.map((d) => (ts.isCallExpression(d.expression) ? calleeName(d.expression) : ts.isIdentifier(d.expression) ? d.expression.text : undefined) ?? '');
}

export const nestjs: FrameworkAdapter = {
  name: 'nestjs',
  label: 'NestJS',
  filterHints: hints,
  entries(file) {
    if (!/@Controller\b/.test(file.text)) return [];
    const out: HandlerEntry[] = [];
    walk(file.sf, (n) => {
      if (!ts.isClassDeclaration(n) || !decoratorNames(n).includes('Controller')) return;
      for (const m of n.members) {
        if (ts.isMethodDeclaration(m) && m.body && decoratorNames(m).some((d) => d === 'Post' || d === 'All')) {
          out.push({ framework: 'nestjs', file, fn: m, reportNode: m.name });
        }
      }
      return false;
    });
    return out;
  },
  requestBody: () => ({ parsed: true, reason: 'Nest parses JSON bodies into req.body / @Body()' }),
  wiringProblem(_entry, ctx) {
    if (ctx.facts.nestRawBody === 'missing') return 'the app is created without `rawBody: true` (NestFactory.create), so req.rawBody is undefined';
    if (ctx.facts.nestRawBody === 'bodyParser-disabled') return 'the app disables the body parser (`bodyParser: false`), and Nest only fills req.rawBody while it is enabled';
    return undefined;
  },
  rawBodyFix: 'create the app with `NestFactory.create(AppModule, { rawBody: true })` and pass `req.rawBody` from `@Req() req: RawBodyRequest<Request>`',
};

/** Is a parameter decorated `@Body()` (a parsed body)? */
export function isNestBodyParam(p: ts.ParameterDeclaration): boolean {
  return decoratorNames(p).includes('Body');
}
