// NestJS (no TypeScript here: the scan worker loads it, see FilterHints).
import type { FilterHints } from '../types.js';

import { ASSIGNS_RAW_BODY } from '../raw-body-hint.js';

export const hints: FilterHints = {
  // `@Controller(…)`, or the project's own decorator that composes it (`@PaymentController('stripe')`).
  entryText: /@\w*Controller\b/,
  facts: new RegExp(`NestFactory\\.create|${ASSIGNS_RAW_BODY.source}`),
};
