// Committed configuration files that may hold Stripe keys (.env files, JSON, YAML, TOML, docker-compose,
// serverless.yml, Terraform). They are listed by the same discovery as the sources, read once by the
// same text pass, and only searched for key literals: never parsed as code.

/** Lockfiles are big and machine-written: they hold hashes, never keys. */
const SKIPPED_NAMES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'composer.lock', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock']);

const CONFIG_EXTENSION = /\.(?:json|ya?ml|toml|tf|tfvars)$/;

/** `.env`, `.env.local`, `.env.production`, `.env.example`, … */
const ENV_FILE = /^\.env(?:\.[\w.-]+)?$/;

/** Env files that document variables instead of setting them: only live keys there are real leaks. */
const EXAMPLE_ENV_FILE = /^\.env\.(?:[\w-]+\.)*(?:example|sample|template|dist|defaults?)$/;

/** A committed configuration file the key rules read (by file name, no folders). */
export function isConfigFile(name: string): boolean {
  if (ENV_FILE.test(name)) return true;
  if (SKIPPED_NAMES.has(name)) return false;
  return CONFIG_EXTENSION.test(name) || name.startsWith('docker-compose');
}

/** `.env.example` and friends (by path or name). */
export function isExampleEnvFile(relPath: string): boolean {
  return EXAMPLE_ENV_FILE.test(relPath.slice(relPath.lastIndexOf('/') + 1));
}
