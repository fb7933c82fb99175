#!/usr/bin/env node
// stripe-audit executable: loads the bundled CLI from dist/bundle (built by `npm run build`; `npm ci` builds it
// through the prepare script; the published package and the git release branch ship it built), through
// the bundle's loader, which hands V8 its cached compiled code (src/util/bundle-loader.ts).
// The scan worker starts first, so that its start-up overlaps with loading the CLI.
// CommonJS (bin/package.json): Node runs it without setting up its ES module loader, ~25 ms sooner.
'use strict';
const loader = require('../dist/bundle/loader.cjs');

const argv = process.argv.slice(2);
const pool = loader.load('scan-pool.cjs');
pool.prestartScan(argv);
// After a scan, the code caches the run lacked are written (with the functions compiled on the way);
// `--version` or `init` would write caches that hold almost nothing, and later scans would keep them.
if (pool.runsScan(argv)) process.on('exit', () => loader.saveCodeCaches());
const { main } = loader.load('cli.cjs');

main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`stripe-audit: internal error: ${err?.stack ?? err}\n`);
    process.exitCode = 2;
  },
);
