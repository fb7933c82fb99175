// The worker's guess of the scan input from the raw command line (src/scan/scan-args.ts, src/scan/scan-guess.ts).
// A wrong guess costs time, never correctness (the worker compares it with the CLI's input); these
// cases pin down the command lines it should get right.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanArguments } from '../src/scan/scan-args.js';
import { guessScanInput, sameScanInput } from '../src/scan/scan-guess.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-guess-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('scanArguments', () => {
  const cases: Array<[string, string[], ReturnType<typeof scanArguments>]> = [
    ['no arguments: the current folder', [], { paths: [], config: undefined, includeTests: false }],
    ['folders, with options before and after', ['--offline', 'apps/web', '-f', 'json', 'packages/billing'], { paths: ['apps/web', 'packages/billing'], config: undefined, includeTests: false }],
    ['values of options are not paths', ['-o', 'report.sarif', '--baseline', 'base.json', '--registry', 'http://r', 'src'], { paths: ['src'], config: undefined, includeTests: false }],
    ['--config in both forms, --include-tests', ['--config=ci.json', '--include-tests', '.'], { paths: ['.'], config: 'ci.json', includeTests: true }],
    ['-c <file>', ['-c', 'ci.json'], { paths: [], config: 'ci.json', includeTests: false }],
    ['subcommands are not scans', ['rules'], undefined],
    ['explain <rule> is not a scan', ['explain', 'webhook-signature-unverified'], undefined],
    ['--help and --version are not scans', ['src', '--help'], undefined],
    ['-v is not a scan', ['-v'], undefined],
    ['a folder named like a subcommand after another folder is a path', ['src', 'rules'], { paths: ['src', 'rules'], config: undefined, includeTests: false }],
  ];
  for (const [name, argv, expected] of cases) it(name, () => expect(scanArguments(argv)).toEqual(expected));
});

describe('guessScanInput', () => {
  it('applies the config the CLI would find: includeTests and ignore globs', () => {
    const dir = path.join(tmp, 'app');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'stripe-audit.config.json'), JSON.stringify({ includeTests: true, ignore: ['legacy/**'] }));
    const guess = guessScanInput([dir, '--offline']);
    expect(guess).toEqual({ root: dir, paths: [dir], includeTests: true, ignore: ['legacy/**'] });
    expect(sameScanInput(guess!, { root: dir, paths: [dir], includeTests: true, ignore: ['legacy/**'] })).toBe(true);
    expect(sameScanInput(guess!, { root: dir, paths: [dir], includeTests: false, ignore: ['legacy/**'] })).toBe(false);
  });
  it('no guess when the config is broken (the CLI reports it)', () => {
    const dir = path.join(tmp, 'broken');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'stripe-audit.config.json'), '{ "includeTests": ');
    expect(guessScanInput([dir])).toBeUndefined();
  });
});
