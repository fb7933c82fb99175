// Fastify: request.body is parsed JSON unless a raw-body parser is configured for the route.
import type { FrameworkAdapter } from '../types.js';
import { entriesFor } from '../route-adapter.js';
import { ROUTE_HINTS } from '../route-hints.js';
import { fastifyHooks } from './hooks.js';

export const fastify: FrameworkAdapter = {
  name: 'fastify',
  label: 'Fastify',
  entries: (file, ctx) => entriesFor('fastify', file, ctx),
  filterHints: ROUTE_HINTS,
  guards: fastifyHooks,
  requestBody(entry) {
    // A content-type parser that keeps the buffer as the body makes request.body raw.
    if (/addContentTypeParser\s*\(/.test(entry.file.text) && /parseAs\s*:\s*['"](?:buffer|string)['"]/.test(entry.file.text)) return undefined;
    return { parsed: true, reason: 'Fastify parses application/json bodies, so request.body is an object' };
  },
  rawBodyFix:
    "register `fastify-raw-body` (`{ field: 'rawBody', global: false, runFirst: true }`) with route `config: { rawBody: true }` and pass `request.rawBody`, or add `addContentTypeParser('application/json', { parseAs: 'buffer' }, …)`",
};
