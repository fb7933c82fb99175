// Which weakly signalled files reach Stripe code through their imports: a reachability question on the
// import graph, answered without a depth limit and independently of the order anything is visited in.
// The graph is built lazily from the sources (only the modules they lead to are read), then the answer
// is propagated backwards from the files that import a target directly.

export interface ImportGraph {
  /** Where the search starts (weakly signalled files). */
  sources: Iterable<string>;
  /** Files that make an importer matter (strongly signalled files). */
  isTarget(abs: string): boolean;
  /** Files the search may go through (read, neither strong nor skipped). */
  canExplore(abs: string): boolean;
  /** Import specifiers of a file. */
  importsOf(abs: string): readonly string[];
  /** A specifier imported by `from` → the file it means, if it is one of the scanned files. */
  resolve(from: string, specifier: string): string | undefined;
}

/** The sources from which some chain of imports reaches a target. */
export function reachingFiles(graph: ImportGraph): Set<string> {
  const sources = new Set(graph.sources);
  /** Explored file → the explored files that import it. */
  const importers = new Map<string, string[]>();
  /** Files that import a target directly. */
  const direct: string[] = [];
  const seen = new Set(sources);
  const stack = [...sources];
  while (stack.length) {
    const file = stack.pop()!;
    const next: string[] = [];
    let hit = false;
    for (const spec of graph.importsOf(file)) {
      const target = graph.resolve(file, spec);
      if (!target || target === file) continue;
      if (graph.isTarget(target)) {
        hit = true;
        break;
      }
      if (seen.has(target) || sources.has(target) || graph.canExplore(target)) next.push(target);
    }
    // A file that imports a target reaches it whatever else it imports: what lies behind its other
    // imports matters only to files that reach it, and those reach the target through it.
    if (hit) {
      direct.push(file);
      continue;
    }
    for (const target of next) {
      let list = importers.get(target);
      if (!list) importers.set(target, (list = []));
      list.push(file);
      if (!seen.has(target)) {
        seen.add(target);
        stack.push(target);
      }
    }
  }
  // Backwards from the direct importers: everything that reaches one of them.
  const reaching = new Set(direct);
  const queue = [...direct];
  while (queue.length) {
    for (const importer of importers.get(queue.pop()!) ?? []) {
      if (reaching.has(importer)) continue;
      reaching.add(importer);
      queue.push(importer);
    }
  }
  return new Set([...reaching].filter((f) => sources.has(f)));
}
