// AWS Lambda (no TypeScript here: the scan worker loads it, see FilterHints). An HTTP handler is typed
// with an API Gateway / function URL event or reads the event's body or headers (see looksHttp).
import type { FilterHints } from '../types.js';

export const hints: FilterHints = {
  // The property first and the event's name in a lookbehind: the filter tries this at every position of
  // every file, and a lookbehind at every dot would cost a third of that pass.
  entryText: /APIGateway|LambdaFunctionURL|ALBEvent|\.\s*\??(?:body|headers|isBase64Encoded|requestContext|rawBody)\b(?<=\b(?:event|evt|ev|e|apiEvent|lambdaEvent|httpEvent)\s*\??\.\s*\??\w+)/,
};
