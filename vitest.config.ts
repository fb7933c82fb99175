import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds first when dist/ is older than the sources (a no-op right after `npm run build`), and starts the
    // registry fixture the SDK test files share.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One process per worker for all its files, not one per file: a fresh process re-imported vitest and the
    // analysis (the TypeScript compiler) for every file, ~0.8 s of CPU each. No test file changes state another
    // could see: none sets process.env for good (sdk-registry restores what it sets), and in-process audits
    // pass their options (worker: false) instead of environment variables.
    isolate: false,
    // Vitest's default is one worker fewer than the CPUs: one worker on a 2-core machine, and the suite
    // ran file after file with a core idle while a worker waited on its subprocesses (the CLI, npm,
    // verdaccio, sarif-multitool). Most of the suite is such subprocesses, so one worker per core keeps
    // every core busy. Slow files start first (vitest orders them by their last duration).
    maxWorkers: Math.max(2, os.availableParallelism()),
    // The tests import the built code (dist/, plain JavaScript that tsc and rolldown wrote): Node loads it as it
    // is. Through vite, each worker transformed ~200 modules again (~2.5 s of CPU each); nothing here mocks them.
    server: { deps: { external: [/\/dist\//] } },
  },
});
