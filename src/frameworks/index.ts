// The framework adapters. Adding a framework: one folder with an adapter, one line here.
import type { ParsedFile, Parser } from '../analysis/parse.js';
import type { FrameworkAdapter, ProjectFacts } from './types.js';
import { express } from './express/index.js';
import { koa } from './koa/index.js';
import { fastify } from './fastify/index.js';
import { hono } from './hono/index.js';
import { nextjsApp } from './nextjs-app/index.js';
import { nextjsPages } from './nextjs-pages/index.js';
import { nestjs } from './nestjs/index.js';
import { lambda } from './lambda/index.js';
import { workers } from './workers/index.js';
import { firebase } from './firebase/index.js';
import { nodeHttp } from './node-http/index.js';
import { generic } from './generic/index.js';
import { fetchRoutes } from './fetch-routes/index.js';
import { convex } from './convex/index.js';
import { strapi } from './strapi/index.js';

export const ADAPTERS: FrameworkAdapter[] = [nextjsApp, nextjsPages, fetchRoutes, nestjs, lambda, workers, firebase, nodeHttp, convex, strapi, express, koa, fastify, hono, generic];

export function adapterByName(name: string): FrameworkAdapter | undefined {
  return ADAPTERS.find((a) => a.name === name);
}

/** Every adapter's project facts, over the parsed files. */
export function projectFacts(files: ParsedFile[], parser: Parser): ProjectFacts {
  const facts: ProjectFacts = { nestRawBody: 'unknown', expressMountParsers: new Map(), expressMountingApps: new Map(), koaBody: { calls: [], keepsRawBody: false }, hostedApps: [], strapiBody: undefined };
  for (const a of ADAPTERS) Object.assign(facts, a.projectFacts?.(files, parser));
  return facts;
}
