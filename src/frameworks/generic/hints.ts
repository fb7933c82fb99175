// Exported (request, response) handlers (no TypeScript here: the scan worker loads it, see FilterHints):
// a parameter list that starts with a request and a response.
import type { FilterHints } from '../types.js';

export const hints: FilterHints = { entryText: /req(?<=\(\s*req)(?:uest)?\b[^()]*?,\s*(?:res|response|reply)\b/ };
