#!/usr/bin/env node
// stripe-audit executable: loads the bundled CLI from dist/bundle (built by `npm run build`; `npm ci` builds it
// through the prepare script; the published package and the git release branch ship it built).
// The scan worker starts first, so that its start-up overlaps with loading the CLI.
import { prestartScan } from '../dist/bundle/scan-pool.js';

prestartScan();
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
