// AWS Lambda behind API Gateway or a function URL: `export const handler = async (event) => …`.
// Queue and EventBridge consumers are not HTTP: they carry no signature and are not entries.
import { ts } from '#typescript';
import type { FrameworkAdapter, HandlerEntry } from '../types.js';
import { exportedFunction, exportedNames } from '../exports.js';
import { reportNodeOf } from '../routes.js';
import { walkOwnBody } from '../../analysis/ast.js';
import { hints } from './hints.js';

const HTTP_EVENT = /APIGateway|LambdaFunctionURL|ALBEvent|Handler<\s*APIGateway|APIGatewayProxyHandler/;
const NON_HTTP_EVENT = /EventBridge|SQS|SNS|Scheduled|DynamoDBStream|Kinesis|S3Event|CloudWatch|Cognito/;
const HANDLER_NAMES = ['handler', 'main', 'webhook', 'stripeWebhook', 'lambdaHandler'];
const EVENT_PARAM = /^(event|evt|ev|e|apiEvent|lambdaEvent|httpEvent)$/;
const CONTEXT_PARAM = /^_?(context|ctx|callback|cb)$|^_$/;

function looksHttp(fn: ts.FunctionLikeDeclaration, file: { text: string; sf: ts.SourceFile }): boolean {
  const p = fn.parameters[0];
  const typeText = p?.type?.getText(file.sf) ?? '';
  const declType = ts.isVariableDeclaration(fn.parent) && fn.parent.type ? fn.parent.type.getText(file.sf) : '';
  if (NON_HTTP_EVENT.test(typeText) || NON_HTTP_EVENT.test(declType)) return false;
  if (HTTP_EVENT.test(typeText) || HTTP_EVENT.test(declType)) return true;
  // Untyped: an HTTP event is read through .body / .headers, a queue event through .Records / .detail.
  if (!p || !ts.isIdentifier(p.name)) return false;
  const name = p.name.text;
  let http = false;
  let other = false;
  walkOwnBody(fn, (n) => {
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) {
      if (/^(body|headers|isBase64Encoded|requestContext|rawBody)$/.test(n.name.text)) http = true;
      if (/^(Records|detail|source)$/.test(n.name.text)) other = true;
    }
  });
  return http && !other;
}

export const lambda: FrameworkAdapter = {
  name: 'lambda',
  label: 'AWS Lambda',
  filterHints: hints,
  entries(file, ctx) {
    if (!/\bevent\b|\bevt\b|APIGateway|LambdaFunctionURL/.test(file.text)) return [];
    // Framework route files are other adapters' business.
    if (/(?:^|\/)(?:app|pages)\/(?:.*\/)?(?:route|api\/)/.test(file.relPath)) return [];
    const out: HandlerEntry[] = [];
    // serverless.yml / SAM name handlers freely (`handler.incoming`): any export shaped (event, context?, callback?).
    for (const name of exportedNames(file.sf, true)) {
      const fn = exportedFunction(file, name, ctx);
      if (!fn || fn.parameters.length < 1 || fn.parameters.length > 3 || !looksHttp(fn, file)) continue;
      const [first, second] = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
      const typedHttp = HTTP_EVENT.test(fn.parameters[0].type?.getText(file.sf) ?? '') || (ts.isVariableDeclaration(fn.parent) && HTTP_EVENT.test(fn.parent.type?.getText(file.sf) ?? ''));
      if (!typedHttp && !((HANDLER_NAMES.includes(name) || second === undefined || CONTEXT_PARAM.test(second)) && EVENT_PARAM.test(first))) continue;
      out.push({ framework: 'lambda', file, fn, reportNode: reportNodeOf(fn) });
    }
    return out;
  },
  requestBody: () => ({ parsed: false, reason: 'event.body is the raw string' }),
  rawBodyFix: "pass `event.isBase64Encoded ? Buffer.from(event.body, 'base64') : event.body` without parsing it first",
};
