// Loads a dependency on first use: the audit of a repository without lockfiles or network needs neither
// the lockfile parsers nor the registry client, and loading them costs startup time.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazy<T>(name: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= require(name) as T);
}
