// scripts/prune-dist.mjs (run by `npm run build` after tsc): outputs of deleted or moved sources go, the rest stays.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT, writeFiles } from './helpers/run-cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stripe-audit-prune-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it('removes what tsc emitted for a source that no longer exists, and keeps everything else', () => {
  writeFiles(tmp, {
    'src/scan/filter.ts': 'export {};\n',
    'dist/src/scan/filter.js': '',
    'dist/src/scan/filter.d.ts': '',
    // moved to src/scan/ by a restructuring: the old outputs are stale
    'dist/src/filter.js': '',
    'dist/src/filter.d.ts': '',
    'dist/src/filter.js.map': '',
    'dist/src/old/gone.js': '',
    // not tsc's: left alone
    'dist/bundle/cli.js': '',
    'dist/src/notes.txt': '',
  });
  fs.mkdirSync(path.join(tmp, 'scripts'));
  fs.copyFileSync(path.join(REPO_ROOT, 'scripts/prune-dist.mjs'), path.join(tmp, 'scripts/prune-dist.mjs'));
  const out = execFileSync(process.execPath, [path.join(tmp, 'scripts/prune-dist.mjs')], { encoding: 'utf8' });
  expect(out).toContain('removed 4 outputs');
  const left = (fs.readdirSync(path.join(tmp, 'dist'), { recursive: true }) as string[]).map((f) => f.split(path.sep).join('/')).sort();
  expect(left).toEqual(['bundle', 'bundle/cli.js', 'src', 'src/notes.txt', 'src/scan', 'src/scan/filter.d.ts', 'src/scan/filter.js']);
});
