// Convex HTTP actions, for the text prefilter (no TypeScript here: the scan worker loads it). The shape is
// branch prefilter's `FilterHints` (src/frameworks/types.ts there).
// TODO(lead, when prefilter is merged): type this `FilterHints`, set `filterHints: hints` on the convex
// adapter and list it as `convex: convexHints` in src/frameworks/filter-hints.ts.
export const hints = {
  /** `httpRouter()` and `httpAction(…)` register or define entry points. */
  entryText: /\bhttpRouter\s*\(|\bhttpAction\s*\(/,
  /** Convex serves HTTP actions only from the router exported by convex/http.ts. */
  routeFiles: /(?:^|\/)convex\/http\.[cm]?[jt]s$/,
};
