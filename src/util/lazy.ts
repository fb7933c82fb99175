// Loads a dependency on first use: the audit of a repository without lockfiles or network needs neither
// the lockfile parsers nor the registry client, and loading them costs startup time. The build bundles
// each of them as dist/bundle/vendor/<name>.cjs (rolldown.config.mjs), reached through package.json
// "imports" "#vendor/*", so the package has no runtime dependency.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazy<T>(name: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= require(`#vendor/${name}`) as T);
}
