// Express (and Connect-style routers): routes on app/router, body parsers as middlewares.
import { ts } from '#typescript';
import type { FrameworkAdapter, HandlerEntry, BodyVerdict } from '../types.js';
import { entriesFor } from '../route-adapter.js';
import { routerMiddleware } from '../route-middleware.js';
import { stringValue } from '../../analysis/ast.js';
import { parserKind, type ParserKind } from './parsers.js';
import { assigns, chainBefore, firstReader } from './chain.js';
import { mountFacts } from './mounts.js';
import { ROUTE_HINTS } from '../route-hints.js';

function judge(kind: ParserKind, where: string): BodyVerdict {
  if (kind === 'json') return { parsed: true, reason: `a JSON body parser runs ${where}, so req.body is a parsed object` };
  if (kind === 'raw-untyped') return { parsed: true, reason: `express.raw() without a \`type\` only reads application/octet-stream; Stripe sends application/json, so req.body is empty` };
  return { parsed: false, reason: 'raw body parser' };
}

const code = (n: ts.Node) => n.getText().replace(/\s+/g, ' ').slice(0, 60);

export const express: FrameworkAdapter = {
  name: 'express',
  label: 'Express',
  entries: (file, ctx) => entriesFor('express', file, ctx),
  filterHints: ROUTE_HINTS,
  guards: routerMiddleware,
  projectFacts(files, parser) {
    const mounts = mountFacts(files, parser);
    return { expressMountParsers: mounts.parsers, expressMountingApps: mounts.apps };
  },
  requestBody(entry: HandlerEntry, _body, ctx): BodyVerdict | undefined {
    // The first parser that runs wins: body-parser marks the request as parsed and later parsers skip it.
    for (const step of chainBefore(entry, ctx)) {
      if (step.host) return { parsed: true, reason: `the app is served ${step.where}, and ${step.host.reason}`, fix: step.host.fix };
      const k = parserKind(step.expr);
      if (k) return judge(k, step.where);
    }
    return undefined;
  },
  requestPayload(entry, payload, ctx): BodyVerdict | undefined {
    // req.rawBody (or any raw* property): right only when whoever fills it reads the stream first.
    const prop = ts.isPropertyAccessExpression(payload) ? payload.name.text : stringValue(payload.argumentExpression);
    if (!prop || !/raw/i.test(prop) || !/^\w+$/.test(prop)) return undefined;
    const steps = chainBefore(entry, ctx);
    const first = firstReader(steps, ctx);
    if (!first) return undefined;
    const keeps = first.step.host ? first.step.host.keeps === prop : assigns(first.step, prop, ctx);
    const late = steps.slice(first.index + 1).find((s) => assigns(s, prop, ctx));
    if (late) {
      const reader = first.step.host ? `${first.step.host.label} reads the body before the app runs` : `\`${code(first.step.expr)}\` runs ${first.step.where} and reads the request stream first`;
      return { parsed: true, reason: `${reader}, so \`${code(late.expr)}\` (${late.where}) never sees the bytes it collects into req.${prop}`, fix: first.step.host?.fix };
    }
    return keeps ? { parsed: false, reason: `req.${prop} is kept by the first reader of the request` } : undefined;
  },
  rawBodyFix:
    "mount `express.raw({ type: 'application/json' })` on the webhook route and register it before `app.use(express.json())` (or use `express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })` and pass `req.rawBody`)",
};
