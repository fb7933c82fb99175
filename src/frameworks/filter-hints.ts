// Every framework adapter's filter hints, by adapter name, for the text prefilter in the scan worker
// (src/scan/filter-signals.ts). The adapters themselves load TypeScript, so the worker reads their hints
// from here. Adding a framework: its hints here too (test/prefilter.test.ts checks that every adapter in
// src/frameworks/index.ts declares the same object as this table).
import type { FilterHints } from './types.js';
import { ROUTE_HINTS } from './route-hints.js';
import { hints as nextjsApp } from './nextjs-app/hints.js';
import { hints as nextjsPages } from './nextjs-pages/hints.js';
import { hints as fetchRoutes } from './fetch-routes/hints.js';
import { hints as nestjs } from './nestjs/hints.js';
import { hints as lambda } from './lambda/hints.js';
import { hints as workers } from './workers/hints.js';
import { hints as firebase } from './firebase/hints.js';
import { hints as nodeHttp } from './node-http/hints.js';
import { hints as generic } from './generic/hints.js';
import { hints as convex } from './convex/hints.js';
import { hints as strapi } from './strapi/hints.js';

export const FRAMEWORK_FILTER_HINTS: Readonly<Record<string, FilterHints>> = {
  'nextjs-app': nextjsApp,
  'nextjs-pages': nextjsPages,
  'fetch-routes': fetchRoutes,
  nestjs,
  lambda,
  workers,
  firebase,
  'node-http': nodeHttp,
  express: ROUTE_HINTS,
  koa: ROUTE_HINTS,
  fastify: ROUTE_HINTS,
  hono: ROUTE_HINTS,
  convex,
  strapi,
  generic,
};
