// The executable's code as a few files (dist/bundle), built from tsc's output (dist/src).
//
// Why: loaded as ~90 ES modules and their CommonJS dependencies, the CLI spent ~200 ms of CPU before doing
// any work (resolving, reading and compiling each module, and scanning each CommonJS file for its
// exports); in a few files it is ~100 ms less, on both threads (issue 7: medusa 0.56 -> 0.47 s).
// tsc still type-checks and emits dist/src, which the tests, the benchmark and the docs script use.
export default {
  input: {
    // bin/stripe-audit.js loads scan-pool first (git and the scan worker start), then the CLI.
    'scan-pool': 'dist/src/scan-pool.js',
    cli: 'dist/src/cli.js',
    // Started by scan-pool as new URL('./scan-worker.js', import.meta.url): same folder, same name.
    'scan-worker': 'dist/src/scan-worker.js',
  },
  platform: 'node',
  external: [
    // The compiler: loaded by src/typescript-runtime.ts with V8's code cache (package.json "imports").
    /^#typescript$/,
    /^ts-morph$/,
    // Loaded only when needed (online registry check, lockfile formats) through src/lazy.ts.
    /^npm-registry-fetch$/,
    /^@yarnpkg\/parsers$/,
    /^yaml$/,
  ],
  // ES module builds of dependencies where they ship one (jsonc-parser's main is UMD).
  resolve: { mainFields: ['module', 'main'] },
  output: { dir: 'dist/bundle', format: 'esm' },
};
