// NestJS (no TypeScript here: the scan worker loads it, see FilterHints).
import type { FilterHints } from '../types.js';

/** `req.rawBody = …` / `req['rawBody'] = …`: the app keeps the raw bytes itself (a raw-body fact, like NestFactory.create). */
export const ASSIGNS_RAW_BODY = /(?:\.rawBody|\[['"]rawBody['"]\])\s*=(?!=)/;

export const hints: FilterHints = {
  entryText: /@Controller\b/,
  facts: new RegExp(`NestFactory\\.create|${ASSIGNS_RAW_BODY.source}`),
};
