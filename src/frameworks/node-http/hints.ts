// Node http (no TypeScript here: the scan worker loads it, see FilterHints).
import type { FilterHints } from '../types.js';

export const hints: FilterHints = { entryText: /createServer|request['"](?<=\bon\s*\(\s*['"]request['"])/ };
