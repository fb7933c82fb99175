// Loads a dependency on first use: the audit of a repository without lockfiles or network needs neither
// the lockfile parsers nor the registry client, and loading them costs startup time. The build bundles
// each of them as dist/bundle/vendor/<name>.cjs (rolldown.config.mjs), reached through package.json
// "imports" "#vendor/*", so the package has no runtime dependency.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * In the bundle (a CommonJS chunk next to loader.cjs), the bundle's loader, which hands V8 the code cache
 * (src/util/bundle-loader.ts); in tsc's output (the tests), Node's require.
 */
const bundleLoader = ((): { loadVendor(name: string): unknown } | undefined => {
  if (!import.meta.url.endsWith('.cjs')) return undefined;
  try {
    return require('./loader.cjs');
  } catch {
    return undefined;
  }
})();

export function lazy<T>(name: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= (bundleLoader ? bundleLoader.loadVendor(name) : require(`#vendor/${name}`)) as T);
}
