#!/usr/bin/env node
// stripe-audit executable: loads the compiled CLI from dist/ (built by `npm ci` through the prepare script).
// The scan worker starts first, so that its start-up overlaps with loading the CLI.
import { prestartScan } from '../dist/bundle/scan-pool.js';

prestartScan(process.argv.slice(2));
const { main } = await import('../dist/bundle/cli.js');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`stripe-audit: internal error: ${err?.stack ?? err}\n`);
    process.exitCode = 2;
  },
);
