// Which command lines start the scan worker before the CLI loads (src/cli/commands/names.ts): a scan does,
// `rules`, `explain`, `init`, help and the version do not. The list is the one the CLI registers.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { runsScan, scanPaths, SUBCOMMANDS, VALUE_OPTIONS } from '../dist/src/cli/commands/names.js';
import { REPO_ROOT, runCli } from './helpers/run-cli.js';
import { registerCommands } from '../dist/src/cli/commands/index.js';

describe('runsScan', () => {
  it.each([
    ['no argument (scans the working directory)', [], true],
    ['a path', ['src'], true],
    ['options and paths', ['--offline', '--format', 'json', 'app', 'lib'], true],
    ['a path that only contains a subcommand name', ['./rules'], true],
  ])('scan: %s', (_name, argv, expected) => expect(runsScan(argv)).toBe(expected));

  it.each([
    ['rules', ['rules'], false],
    ['explain with an id', ['explain', 'webhook-raw-body'], false],
    ['init with a folder', ['init', 'app'], false],
    ['help', ['help'], false],
    ['--help after a path', ['src', '--help'], false],
    ['-V', ['-V'], false],
    ['--version', ['--version'], false],
    ['-v', ['-v'], false],
  ])('no scan: %s', (_name, argv, expected) => expect(runsScan(argv)).toBe(expected));

  it('SUBCOMMANDS are exactly the commands the CLI registers', () => {
    const program = new Command();
    registerCommands(program, () => {});
    expect(program.commands.map((c) => c.name()).sort()).toEqual([...SUBCOMMANDS].sort());
  });

  it('VALUE_OPTIONS are the options `--help` shows with a value', async () => {
    const help = await runCli(REPO_ROOT, ['--help'], { ...process.env, NO_COLOR: '1' });
    const withValue = [...help.stdout.matchAll(/^ {2}((?:-\w, )?--[\w-]+) <[\w-]+>/gm)].flatMap((m) => m[1].split(', '));
    expect(withValue.length).toBeGreaterThan(5);
    expect([...VALUE_OPTIONS].sort()).toEqual(withValue.sort());
  });
});

describe('scanPaths', () => {
  it.each([
    ['none: the working directory', [], ['.']],
    ['operands', ['app', 'lib'], ['app', 'lib']],
    ['without option values', ['--format', 'json', 'app', '-o', 'out.json', '-c', 'ci.json', '--offline', 'lib'], ['app', 'lib']],
    ['joined values take no operand', ['--format=json', '-cci.json', 'app'], ['app']],
    ['after --', ['--', '-weird-dir'], ['-weird-dir']],
  ])('%s', (_name, argv, expected) => expect(scanPaths(argv)).toEqual(expected));
});
