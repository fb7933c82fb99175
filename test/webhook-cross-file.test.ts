// RuleTester-style cases for webhook facts that cross files (issue 11 part B): event flow into callees,
// handlers that never import stripe, router mount order, fail-open guards on the environment or a literal.
import unverified from '../dist/rules/webhook-signature-unverified.js';
import bypass from '../dist/rules/webhook-signature-bypass.js';
import rawBody from '../dist/rules/webhook-raw-body.js';
import secretHardcoded from '../dist/rules/webhook-secret-hardcoded.js';
import dedup from '../dist/rules/webhook-event-not-deduplicated.js';
import { ruleTester } from './helpers/webhook-tester.js';

const db = "module.exports = { query: async (sql, params) => ({ rowCount: 1, rows: [], sql, params }) };\n";

/** A CommonJS service that acts on a Stripe event it receives. */
const eventService = `const db = require('../db');
exports.handle = async function handle(evt) {
  if (evt.type === 'customer.subscription.deleted') {
    await db.query('UPDATE accounts SET plan = $1 WHERE sub_id = $2', ['free', evt.data.object.id]);
  }
};
`;

ruleTester(unverified, {
  valid: [
    {
      name: 'a helper comparing event names on database rows, given a request field',
      files: {
        'db.js': db,
        'services/stats.js': `const db = require('../db');
exports.revenue = async function revenue(month) {
  const res = await db.query('SELECT type, amount FROM entries WHERE month = $1', [month]);
  return res.rows.filter((r) => r.type === 'invoice.paid').length;
};
`,
        'routes/stats.js': `const router = require('express').Router();
const stats = require('../services/stats');
router.post('/stats', async (req, res) => {
  res.json({ revenue: await stats.revenue(req.body.month) });
});
module.exports = router;
`,
      },
    },
    {
      name: 'the body passed to a helper that reads .type and .data of another shape',
      files: {
        'db.js': db,
        'services/inbox.js': `const db = require('../db');
exports.apply = async (msg) => {
  if (msg.type === 'note.created') await db.query('INSERT INTO notes VALUES ($1)', [msg.data.text]);
};
`,
        'routes/inbox.js': `const router = require('express').Router();
const inbox = require('../services/inbox');
router.post('/inbox', async (req, res) => {
  await inbox.apply(req.body);
  res.sendStatus(204);
});
module.exports = router;
`,
      },
    },
    {
      name: 'a route reading .data.object whose path and file do not name Stripe',
      files: {
        'app/api/partner/route.ts': `export async function POST(req: Request) {
  const msg = await req.json();
  return Response.json({ kind: msg.data.object });
}
`,
      },
    },
    {
      name: 'the event service reached with a value that is not the request data',
      files: {
        'db.js': db,
        'services/events.js': eventService,
        'routes/replay.js': `const router = require('express').Router();
const events = require('../services/events');
const db = require('../db');
router.post('/replay', async (req, res) => {
  const stored = await db.query('SELECT payload FROM events WHERE id = $1', [req.body.id]);
  await events.handle(stored.rows[0]);
  res.sendStatus(204);
});
module.exports = router;
`,
      },
    },
  ],
  invalid: [
    {
      name: 'the request body passed to a service in another file that acts on Stripe events',
      files: {
        'db.js': db,
        'services/events.js': eventService,
        'routes/events.js': `const router = require('express').Router();
const events = require('../services/events');
router.post('/subscription-events', async (req, res) => {
  await events.handle(req.body);
  res.json({ ok: true });
});
module.exports = router;
`,
      },
      errors: [{ file: 'routes/events.js', line: 3, message: /compares the event type with 'customer\.subscription\.deleted'/ }],
    },
    {
      name: 'a value parsed from the body, passed on through two helpers',
      files: {
        'db.js': db,
        'services/events.js': eventService,
        'services/dispatch.js': `const events = require('./events');
exports.dispatch = (payload) => events.handle(payload);
`,
        'app/api/billing/route.ts': `import { dispatch } from '../../../services/dispatch';
export async function POST(request: Request) {
  const payload = JSON.parse(await request.text());
  await dispatch(payload);
  return new Response(null, { status: 204 });
}
`,
      },
      errors: [{ file: 'app/api/billing/route.ts', line: 2 }],
    },
    {
      name: 'a route that never imports stripe, named for Stripe webhooks, acting on data.object',
      files: {
        'app/api/hooks/stripe/route.ts': `export async function POST(request: Request) {
  const body = await request.json();
  const invoice = body.data.object;
  await fetch(process.env.LEDGER_URL!, { method: 'POST', body: JSON.stringify({ customer: invoice.customer }) });
  return Response.json({ ok: true });
}
`,
      },
      errors: [{ file: 'app/api/hooks/stripe/route.ts', line: 1, message: /reads event\.data\.object/ }],
    },
    {
      name: 'data.object only, in a file that imports the app\'s Stripe client module',
      files: {
        'lib/client.ts': "import Stripe from 'stripe';\nexport const payments = new Stripe(process.env.STRIPE_SECRET_KEY!);\n",
        'routes/hooks.ts': `import express from 'express';
import { payments } from '../lib/client';
const app = express();
app.post('/hooks/billing', express.json(), async (req, res) => {
  const invoice = await payments.invoices.retrieve(req.body.data.object.id);
  res.json({ status: invoice.status });
});
`,
      },
      errors: [{ file: 'routes/hooks.ts', line: 4 }],
    },
    {
      name: 'an Express route string naming stripe, data.object only',
      files: {
        'server.js': `const express = require('express');
const app = express();
app.use(express.json());
app.post('/stripe/events', async (req, res) => {
  const charge = req.body.data.object;
  await notifyFinance(charge.id);
  res.sendStatus(200);
});
async function notifyFinance(id) { return fetch('https://finance.internal/charges/' + id, { method: 'POST' }); }
`,
      },
      errors: [{ file: 'server.js', line: 4 }],
    },
  ],
});

const verifyingRouter = (parser: string) => `const express = require('express');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const router = express.Router();
router.post('/stripe', ${parser}, (req, res) => {
  try {
    const event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
    res.json({ id: event.id });
  } catch (err) {
    res.status(400).send(err.message);
  }
});
module.exports = router;
`;

ruleTester(rawBody, {
  valid: [
    {
      name: 'router mounted before express.json()',
      files: {
        'routes/hooks.js': verifyingRouter("express.raw({ type: 'application/json' })"),
        'app.js': `const express = require('express');
const app = express();
app.use('/webhooks', require('./routes/hooks'));
app.use(express.json());
`,
      },
    },
    {
      name: 'express.json() registered for another path prefix',
      files: {
        'routes/hooks.js': verifyingRouter("express.raw({ type: 'application/json' })"),
        'app.js': `const express = require('express');
const app = express();
app.use('/api', express.json());
app.use('/webhooks', require('./routes/hooks'));
`,
      },
    },
    {
      name: 'express.json() on another app',
      files: {
        'routes/hooks.js': verifyingRouter("express.raw({ type: 'application/json' })"),
        'app.js': `const express = require('express');
const app = express();
const api = express();
api.use(express.json());
app.use('/webhooks', require('./routes/hooks'));
`,
      },
    },
  ],
  invalid: [
    {
      name: 'express.json() registered before mounting the router (require)',
      files: {
        'routes/hooks.js': verifyingRouter("express.raw({ type: 'application/json' })"),
        'app.js': `const express = require('express');
const app = express();
app.use(express.json());
app.use('/webhooks', require('./routes/hooks'));
`,
      },
      errors: [{ file: 'routes/hooks.js', line: 6, message: /app\.use\(express\.json\(\)\)` in app\.js\) before this router is mounted/ }],
    },
    {
      name: 'the handler in a controller file, required by destructuring into the mounted router',
      files: {
        'controllers/payments.js': `const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const onStripeEvent = async (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send(err.message);
  }
  res.json({ id: event.id });
};
module.exports = { onStripeEvent };
`,
        'routes/payments.js': `const express = require('express');
const { onStripeEvent } = require('../controllers/payments');
const router = express.Router();
router.post('/stripe', express.raw({ type: 'application/json' }), onStripeEvent);
module.exports = router;
`,
        'main.js': `const express = require('express');
const payments = require('./routes/payments');
const app = express();
app.use(express.json());
app.use('/api/webhooks', payments);
`,
      },
      errors: [{ file: 'controllers/payments.js', line: 5, message: /in main\.js\) before this router is mounted \(`app\.use\('\/api\/webhooks', payments\)`\)/ }],
    },
    {
      name: 'bodyParser.json() before an imported router (ESM), mounted through an intermediate router',
      files: {
        'src/routes/hooks.js': verifyingRouter("express.raw({ type: 'application/json' })"),
        'src/routes/index.js': `import { Router } from 'express';
import hooks from './hooks.js';
const api = Router();
api.use('/hooks', hooks);
export default api;
`,
        'src/server.js': `import express from 'express';
import bodyParser from 'body-parser';
import api from './routes/index.js';
const app = express();
app.use(bodyParser.json());
app.use('/v1', api);
`,
      },
      errors: [{ file: 'src/routes/hooks.js', line: 6 }],
    },
  ],
});

const guardedRoute = (secretLine: string) => `const express = require('express');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const router = express.Router();
${secretLine}
router.post('/stripe', async (req, res) => {
  let event = req.body;
  if (endpointSecret) {
    try {
      event = stripe.webhooks.constructEvent(req.rawBody, req.headers['stripe-signature'], endpointSecret);
    } catch (err) {
      return res.sendStatus(400);
    }
  }
  res.json({ received: true, type: event.type });
});
module.exports = router;
`;

ruleTester(bypass, {
  valid: [
    {
      name: 'the guard reads a literal secret: verification always runs',
      files: { 'routes/hooks.js': guardedRoute("const endpointSecret = 'whsec_9f8e7d6c5b4a39281706f5e4d3c2b1a0';") },
    },
    {
      name: 'a literal guard with a trusting else branch that never runs',
      files: {
        'routes/hooks.js': `const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const VERIFY = true;
exports.webhook = async function webhook(req, res) {
  let event;
  if (VERIFY) {
    try {
      event = stripe.webhooks.constructEvent(req.rawBody, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
    } catch {
      return res.sendStatus(400);
    }
  } else {
    event = req.body;
  }
  res.json({ type: event.type });
};
`,
      },
    },
  ],
  invalid: [
    {
      name: 'the guard reads the environment: fail-open although the handler only acknowledges',
      files: { 'routes/hooks.js': guardedRoute('const endpointSecret = process.env.STRIPE_WEBHOOK_SECRET;') },
      errors: [{ file: 'routes/hooks.js', line: 5, message: /`event` is also taken from `req\.body`/ }],
    },
    {
      name: 'a `let` secret that starts as a literal can change: still a guard',
      files: { 'routes/hooks.js': guardedRoute("let endpointSecret = 'whsec_9f8e7d6c5b4a39281706f5e4d3c2b1a0';\nif (process.env.NODE_ENV === 'test') endpointSecret = '';") },
      errors: [{ file: 'routes/hooks.js', line: 6 }],
    },
  ],
});

ruleTester(secretHardcoded, {
  valid: [{ name: 'the secret from the environment', files: { 'routes/hooks.js': guardedRoute('const endpointSecret = process.env.STRIPE_WEBHOOK_SECRET;') } }],
  invalid: [
    {
      name: 'the literal that makes the guard always true is the finding',
      files: { 'routes/hooks.js': guardedRoute("const endpointSecret = 'whsec_9f8e7d6c5b4a39281706f5e4d3c2b1a0';") },
      errors: [{ file: 'routes/hooks.js', line: 4 }],
    },
  ],
});

const koaApp = (register: string, payload: string) => ({
  'src/app.js': `const Koa = require('koa');
${register}
const hooks = require('./hooks');
const app = new Koa();
app.use(bodyMiddleware);
app.use(hooks.routes());
`,
  'src/hooks.js': `const Router = require('@koa/router');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const router = new Router();
router.post('/webhooks/stripe', async (ctx) => {
  try {
    const event = stripe.webhooks.constructEvent(${payload}, ctx.get('stripe-signature'), process.env.STRIPE_WEBHOOK_SECRET);
    ctx.body = { id: event.id };
  } catch (err) {
    ctx.throw(400, 'bad signature');
  }
});
module.exports = router;
`,
});

ruleTester(rawBody, {
  valid: [
    {
      name: 'koa-body with includeUnparsed: true and the unparsed symbol',
      files: koaApp("const { koaBody } = require('koa-body');\nconst bodyMiddleware = koaBody({ includeUnparsed: true });", "ctx.request.body[Symbol.for('unparsedBody')]"),
    },
    {
      name: 'koa-bodyparser keeps ctx.request.rawBody',
      files: koaApp("const bodyParser = require('koa-bodyparser');\nconst bodyMiddleware = bodyParser();", 'ctx.request.rawBody'),
    },
    {
      name: 'koa-body, but the app keeps rawBody itself',
      files: {
        ...koaApp("const { koaBody } = require('koa-body');\nconst bodyMiddleware = koaBody();", 'ctx.request.rawBody'),
        'src/raw.js': "const getRawBody = require('raw-body');\nmodule.exports = async (ctx, next) => { ctx.request.rawBody = await getRawBody(ctx.req); await next(); };\n",
      },
    },
  ],
  invalid: [
    {
      name: 'koa-body without includeUnparsed and the unparsed symbol',
      files: koaApp("const { koaBody } = require('koa-body');\nconst bodyMiddleware = koaBody({ multipart: true });", "ctx.request.body[Symbol.for('unparsedBody')]"),
      errors: [{ file: 'src/hooks.js', line: 6, message: /only with `includeUnparsed: true`, which its registration \(`koaBody\(…\)` in src\/app\.js\)/ }],
    },
    {
      name: 'koa-body imported as an ES module, unparsed symbol through a constant',
      files: {
        ...koaApp("import { koaBody } from 'koa-body';\nconst bodyMiddleware = koaBody({ jsonLimit: '1mb' });", 'ctx.request.body[UNPARSED]'),
        'src/hooks.js': koaApp('', '')['src/hooks.js'].replace("const router", "const UNPARSED = Symbol.for('unparsedBody');\nconst router").replace('constructEvent(, ', 'constructEvent(ctx.request.body[UNPARSED], '),
      },
      errors: [{ file: 'src/hooks.js', line: 7 }],
    },
    {
      name: 'koa-body and ctx.request.rawBody',
      files: koaApp("const koaBody = require('koa-body');\nconst bodyMiddleware = koaBody();", 'ctx.request.rawBody'),
      errors: [{ file: 'src/hooks.js', line: 6, message: /koa-body \(src\/app\.js\), which never sets ctx\.request\.rawBody/ }],
    },
  ],
});

/** A router whose route collects the raw body with `middleware` (from ../raw.js) and verifies `payload`. */
const rawBodyRouter = (middleware: string, payload: string) => `const express = require('express');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const { ${middleware} } = require('../raw');
const router = express.Router();
router.post('/stripe', ${middleware}, (req, res) => {
  try {
    const event = stripe.webhooks.constructEvent(${payload}, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
    res.json({ id: event.id });
  } catch (err) {
    res.status(400).send(err.message);
  }
});
module.exports = router;
`;

const rawMiddlewares = `const express = require('express');
exports.collectRaw = (req, res, next) => {
  let data = '';
  req.on('data', (chunk) => { data += chunk; });
  req.on('end', () => { req.rawBody = data; next(); });
};
exports.rawJson = (req, res, next) => express.raw({ type: 'application/json' })(req, res, () => { req.rawBody = req.body; next(); });
`;

const expressApp = (lines: string) => `const express = require('express');
const app = express();
${lines}
module.exports = app;
`;

ruleTester(rawBody, {
  valid: [
    {
      name: 'hand-made raw-body middleware on a router mounted before express.json()',
      files: { 'raw.js': rawMiddlewares, 'routes/hooks.js': rawBodyRouter('collectRaw', 'req.rawBody'), 'app.js': expressApp("app.use('/webhooks', require('./routes/hooks'));\napp.use(express.json());") },
    },
    {
      name: 'hand-made raw-body middleware on a router mounted before express.json(), through a re-export file',
      files: {
        'raw.js': rawMiddlewares,
        'routes/hooks.js': rawBodyRouter('collectRaw', 'req.rawBody'),
        'routes/index.js': "export { default as webhookRouter } from './hooks.js';\n",
        'app.js': "import { webhookRouter } from './routes/index.js';\n" + expressApp("app.use('/webhooks', webhookRouter);\napp.use(express.json());"),
      },
    },
    {
      name: 'express.json({ verify }) keeps req.rawBody itself',
      files: {
        'routes/hooks.js': verifyingRouter('(req, res, next) => next()').replace('constructEvent(req.body', 'constructEvent(req.rawBody'),
        'app.js': expressApp("app.use(express.json({ verify: (req, _res, buf) => { req.rawBody = buf; } }));\napp.use('/webhooks', require('./routes/hooks'));"),
      },
    },
    {
      name: 'an Express app served by Firebase onRequest, verifying req.rawBody',
      files: {
        'app.js': `const express = require('express');
const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
const { onRequest } = require('firebase-functions/v2/https');
const app = express();
app.post('/', (req, res) => {
  const event = stripe.webhooks.constructEvent(req.rawBody, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  res.json({ id: event.id });
});
exports.stripeWebhook = onRequest(app);
`,
      },
    },
  ],
  invalid: [
    {
      name: 'hand-made raw-body middleware on a router mounted after express.json() in another file',
      files: { 'raw.js': rawMiddlewares, 'routes/hooks.js': rawBodyRouter('collectRaw', 'req.rawBody'), 'app.js': expressApp("app.use(express.json());\napp.use('/webhooks', require('./routes/hooks'));") },
      errors: [{ file: 'routes/hooks.js', line: 7, message: /`express\.json\(\)` runs app-wide .* reads the request stream first, so `collectRaw` \(on this route\) never sees the bytes/ }],
    },
    {
      name: 'hand-made raw-body middleware on a router mounted after express.json(), through a re-export file',
      files: {
        'raw.js': rawMiddlewares,
        'routes/hooks.js': rawBodyRouter('collectRaw', 'req.rawBody'),
        'routes/index.js': "export { default as webhookRouter } from './hooks.js';\n",
        'app.js': "import { webhookRouter } from './routes/index.js';\n" + expressApp("app.use(express.json());\napp.use('/webhooks', webhookRouter);"),
      },
      errors: [{ file: 'routes/hooks.js', line: 7, message: /`express\.json\(\)` runs app-wide .* so `collectRaw` \(on this route\) never sees the bytes/ }],
    },
    {
      name: 'hand-made raw-body middleware on a router mounted after express.json(), through a chain of `export *` files with a cycle',
      files: {
        'raw.js': rawMiddlewares,
        'routes/hooks.js': rawBodyRouter('collectRaw', 'req.rawBody').replace('module.exports = router;', 'export { router as stripeRouter };'),
        'routes/index.js': "export * from './all.js';\n",
        'routes/all.js': "export * from './index.js';\nexport { stripeRouter as webhookRouter } from './hooks.js';\n",
        'app.js': "import { webhookRouter } from './routes/index.js';\n" + expressApp("app.use(express.json());\napp.use('/webhooks', webhookRouter);"),
      },
      errors: [{ file: 'routes/hooks.js', line: 7 }],
    },
    {
      name: 'hand-made raw-body middleware on a router mounted after express.json(), through a CommonJS re-export object',
      files: {
        'raw.js': rawMiddlewares,
        'routes/hooks.js': rawBodyRouter('collectRaw', 'req.rawBody'),
        'routes/index.js': "module.exports = { webhookRouter: require('./hooks') };\n",
        'app.js': expressApp("const { webhookRouter } = require('./routes');\napp.use(express.json());\napp.use('/webhooks', webhookRouter);"),
      },
      errors: [{ file: 'routes/hooks.js', line: 7 }],
    },
    {
      name: 'express.raw() wrapped in a helper, after express.json()',
      files: { 'raw.js': rawMiddlewares, 'routes/hooks.js': rawBodyRouter('rawJson', 'req.rawBody'), 'app.js': expressApp("app.use(express.json());\napp.use('/webhooks', require('./routes/hooks'));") },
      errors: [{ file: 'routes/hooks.js', line: 7 }],
    },
    {
      name: 'an Express app served by Firebase onRequest (imported), express.raw() and req.body',
      files: {
        'routes/hooks.js': verifyingRouter("express.raw({ type: 'application/json' })"),
        'app.js': expressApp("app.use('/webhooks', require('./routes/hooks'));"),
        'index.js': "const functions = require('firebase-functions');\nconst app = require('./app');\nexports.api = functions.https.onRequest(app);\n",
      },
      errors: [{ file: 'routes/hooks.js', line: 6, message: /served by Firebase Functions .* Fix for Express: pass `req\.rawBody`/ }],
    },
  ],
});

/** A Strapi app: config/middlewares with `bodyEntry`, a route file naming a controller action that verifies `payload`. */
const strapiApp = (bodyEntry: string, payload: string) => ({
  'config/middlewares.js': `module.exports = ['strapi::errors', 'strapi::security', ${bodyEntry}, 'strapi::public'];\n`,
  'src/api/payment/routes/payment.js': "module.exports = { routes: [{ method: 'POST', path: '/payment/webhook', handler: 'payment.webhook', config: { auth: false } }] };\n",
  'src/api/payment/controllers/payment.js': `const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
module.exports = {
  async webhook(ctx) {
    try {
      const event = stripe.webhooks.constructEvent(${payload}, ctx.request.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
      ctx.body = { id: event.id };
    } catch (err) {
      ctx.throw(400, err.message);
    }
  },
};
`,
});

ruleTester(rawBody, {
  valid: [
    {
      name: 'Strapi: strapi::body with includeUnparsed: true and the unparsed symbol',
      files: strapiApp("{ name: 'strapi::body', config: { includeUnparsed: true } }", "ctx.request.body[Symbol.for('unparsedBody')]"),
    },
  ],
  invalid: [
    {
      name: 'Strapi: the default strapi::body and the unparsed symbol',
      files: strapiApp("'strapi::body'", "ctx.request.body[Symbol.for('unparsedBody')]"),
      errors: [{ file: 'src/api/payment/controllers/payment.js', line: 5, message: /only with `includeUnparsed: true` on `strapi::body`, which config\/middlewares\.js does not set/ }],
    },
    {
      name: 'Strapi: includeUnparsed: false, then ctx.request.body',
      files: strapiApp("{ name: 'strapi::body', config: { includeUnparsed: false, jsonLimit: '1mb' } }", 'ctx.request.body'),
      errors: [{ file: 'src/api/payment/controllers/payment.js', line: 5, message: /Fix for Strapi: set `includeUnparsed: true`/ }],
    },
    {
      name: 'Strapi: includeUnparsed: true already, but ctx.request.body: the fix is only to pass the unparsed symbol',
      files: strapiApp("{ name: 'strapi::body', config: { includeUnparsed: true } }", 'ctx.request.body'),
      errors: [{ file: 'src/api/payment/controllers/payment.js', line: 5, message: /Fix for Strapi: pass `ctx\.request\.body\[Symbol\.for\('unparsedBody'\)\]` \(config\/middlewares\.js already sets `includeUnparsed: true`\)/ }],
    },
    {
      name: 'Strapi: a route registered in code with strapi.server.routes, ctx.request.body',
      files: {
        'src/index.js': `const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);
module.exports = {
  register({ strapi }) {
    strapi.server.routes([{ method: 'POST', path: '/api/hooks', handler: async (ctx) => {
      const event = stripe.webhooks.constructEvent(ctx.request.body, ctx.request.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
      ctx.body = { id: event.id };
    } }]);
  },
};
`,
      },
      errors: [{ file: 'src/index.js', line: 5 }],
    },
  ],
});

/** A Convex app: convex/http.ts hands the raw text and the header to `internal.<ref>`; convex/billing.ts holds the actions. */
const convexApp = (ref: string) => ({
  'convex/_generated/api.js': 'export const internal = {}; export const api = {};\n',
  'convex/http.ts': `import { httpRouter } from 'convex/server';
import { httpAction } from './_generated/server';
import { internal } from './_generated/api';
const http = httpRouter();
http.route({ path: '/stripe', method: 'POST', handler: httpAction(async (ctx, request) => {
  const signature = request.headers.get('stripe-signature') ?? '';
  const r = await ctx.runAction(internal.${ref}, { signature, payload: await request.text() });
  return new Response(null, { status: r.ok ? 200 : 400 });
}) });
export default http;
`,
  'convex/billing.ts': `'use node';
import Stripe from 'stripe';
import { internalAction } from './_generated/server';
import { internal } from './_generated/api';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);
export const verified = internalAction({ handler: async (ctx, { signature, payload }) => {
  try {
    const event = stripe.webhooks.constructEvent(payload, signature, process.env.STRIPE_WEBHOOK_SECRET!);
    if (event.type === 'invoice.paid') await ctx.runMutation(internal.invoices.markPaid, { id: event.data.object.id });
    return { ok: true };
  } catch {
    return { ok: false };
  }
} });
export const trusting = internalAction(async (ctx, { payload }) => {
  const event = JSON.parse(payload);
  if (event.type === 'invoice.paid') await ctx.runMutation(internal.invoices.markPaid, { id: event.data.object.id });
  return { ok: true };
});
`,
});

ruleTester(unverified, {
  valid: [{ name: 'Convex: the HTTP action runs an internal action (another file) that verifies', files: convexApp('billing.verified') }],
  invalid: [{ name: 'Convex: the HTTP action runs an internal action that parses the text without verifying', files: convexApp('billing.trusting'), errors: [{ file: 'convex/http.ts', line: 5 }] }],
});

ruleTester(dedup, {
  valid: [
    {
      name: 'Convex: the verifying internal action records event.id',
      files: { ...convexApp('billing.verified'), 'convex/billing.ts': convexApp('billing.verified')['convex/billing.ts'].replace("if (event.type === 'invoice.paid')", "if (!(await ctx.runMutation(internal.events.claim, { id: event.id }))) return { ok: true };\n    if (event.type === 'invoice.paid')") },
    },
  ],
  invalid: [{ name: 'Convex: the verifying internal action never reads event.id', files: convexApp('billing.verified'), errors: [{ file: 'convex/http.ts', line: 5 }] }],
});
