// Next.js app router route files (no TypeScript here: the scan worker loads it, see FilterHints).
import type { FilterHints } from '../types.js';

export const ROUTE_FILE = /(?:^|\/)app\/(?:.*\/)?route\.[cm]?[jt]sx?$/;

export const hints: FilterHints = { routeFiles: ROUTE_FILE };
