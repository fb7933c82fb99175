// The command line: parses options (commander), loads the config, runs the audit, writes the report and
// picks the exit code. Exit codes: 0 clean, 1 findings at/above --fail-on, 2 usage/config error or an
// incomplete scan, 3 the registry could not be reached for a check that needs it.
import fs from 'node:fs';
import path from 'node:path';
import { Command, Option, CommanderError } from 'commander';
import { audit, scanRoot, type AuditResult } from './engine.js';
import { REPORTERS } from './report/index.js';
import { summaryLine } from './report/summary.js';
import { TOOL_VERSION } from './version.js';
import { loadConfig, ConfigError } from './config-load.js';
import type { Finding } from './types.js';
import { registerCommands } from './commands/index.js';
import { applyBaseline, writeBaseline } from './baseline.js';
import { Progress } from './progress.js';
import { trace } from './trace.js';

export const EXIT = { OK: 0, FINDINGS: 1, ERROR: 2, REGISTRY: 3 } as const;

const EXIT_HELP = `
Exit codes:
  0  nothing at or above --fail-on
  1  findings at or above --fail-on
  2  usage or config error, or the scan could not complete (unreadable path, unparsable file, internal error)
  3  the scan completed but the npm registry could not be reached for the SDK check (not with --offline)`;

interface ScanFlags {
  format: string;
  output?: string;
  failOn: 'error' | 'warning' | 'never';
  offline?: boolean;
  registry?: string;
  registryTimeout: string;
  config?: string;
  includeTests?: boolean;
  quiet?: boolean;
  color: boolean;
  stats?: boolean;
  prefilter: boolean;
  baseline?: string;
  writeBaseline?: string;
}

function useColor(flags: ScanFlags, stream: NodeJS.WriteStream): boolean {
  if (!flags.color) return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (process.env.NO_COLOR) return false;
  return !!stream.isTTY;
}

export function gate(findings: Finding[], failOn: ScanFlags['failOn']): boolean {
  if (failOn === 'never') return false;
  return findings.some((f) => !f.suppressed && (f.severity === 'error' || failOn === 'warning'));
}

async function scan(paths: string[], flags: ScanFlags): Promise<number> {
  const stderr = process.stderr;
  if (!REPORTERS[flags.format]) throw new UsageError(`unknown --format '${flags.format}' (text, json, sarif, github)`);
  const timeout = Number(flags.registryTimeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--registry-timeout takes a positive number of milliseconds, not '${flags.registryTimeout}'`);
  trace('options parsed');
  const targets = paths.length ? paths : ['.'];
  const config = loadConfig({ explicit: flags.config, searchFrom: scanRoot(targets) });
  if (flags.includeTests) config.includeTests = true;

  const toStdout = !flags.output;
  const progress = new Progress(stderr, !flags.quiet && !!stderr.isTTY && (flags.format === 'text' || !toStdout));
  let result: AuditResult;
  try {
    result = await audit({
      paths: targets,
      config,
      offline: !!flags.offline,
      registry: flags.registry,
      registryTimeoutMs: timeout,
      onProgress: (p) => progress.update(p),
      prefilter: flags.prefilter,
    });
  } finally {
    progress.done();
  }

  trace('audit done');
  const { applySuppressions } = await import('./suppressions.js');
  const problems = applySuppressions(result);
  let baselineNote: string[] = [];
  if (flags.baseline) baselineNote = applyBaseline(result, flags.baseline);
  const shown = flags.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;

  // Diagnostics: skipped files, registry failures, suppression warnings (stderr, never in stdout).
  const notes = [...result.fatal, ...result.diagnostics, ...problems];
  for (const d of notes) {
    if (flags.quiet && d.level !== 'error') continue;
    stderr.write(`stripe-audit: ${d.level}: ${d.message}\n`);
  }
  result.diagnostics.push(...problems);
  for (const line of baselineNote) if (!flags.quiet) stderr.write(`stripe-audit: ${line}\n`);

  if (flags.writeBaseline) {
    writeBaseline(result, flags.writeBaseline);
    stderr.write(`stripe-audit: wrote ${result.findings.filter((f) => !f.suppressed || f.suppressed.kind === 'baseline').length} findings to the baseline ${flags.writeBaseline}\n`);
    return result.fatal.length ? EXIT.ERROR : EXIT.OK;
  }

  const color = useColor(flags, process.stdout);
  const report = REPORTERS[flags.format]({ result, findings: shown, color: toStdout ? color : false });
  if (flags.output) {
    fs.mkdirSync(path.dirname(path.resolve(flags.output)), { recursive: true });
    fs.writeFileSync(flags.output, report);
  } else process.stdout.write(report);
  if (!toStdout || flags.format !== 'text') {
    if (!flags.quiet) stderr.write(`${summaryLine(result, shown)}\n`);
  }
  trace('report written');
  if (flags.stats) {
    for (const s of result.stats) stderr.write(`stats: ${s.phase.padEnd(8)} ${s.ms.toFixed(1).padStart(9)} ms  ${String(s.count).padStart(7)}${s.rssMb ? `  ${s.rssMb.toFixed(0).padStart(5)} MB rss` : ''}\n`);
  }

  if (result.fatal.length || result.diagnostics.some((d) => d.level === 'error' && d.kind !== 'registry')) return EXIT.ERROR;
  if (gate(result.findings, flags.failOn)) return EXIT.FINDINGS;
  if (result.registryFailed && !flags.offline) return EXIT.REGISTRY;
  return EXIT.OK;
}

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  let exitCode: number = EXIT.OK;
  program
    .name('stripe-audit')
    .description('Audit a TypeScript/JavaScript codebase for Stripe webhook, idempotency, SDK and key risks, without running it.')
    .version(TOOL_VERSION, '-v, --version')
    .argument('[paths...]', 'files or folders to scan', [])
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json', 'sarif', 'github']).default('text'))
    .option('-o, --output <file>', 'write the report to a file (the summary still goes to stderr)')
    .addOption(new Option('--fail-on <level>', 'lowest severity that fails the run').choices(['error', 'warning', 'never']).default('error'))
    .option('--offline', 'no network: the SDK check uses only its cache and says what it skipped')
    .option('--registry <url>', 'npm registry for the SDK check (default: npm config, then the public registry)')
    .option('--registry-timeout <ms>', 'registry timeout in milliseconds', '10000')
    .option('-c, --config <file>', 'config file (default: nearest stripe-audit.config.json or package.json "stripe-audit" key)')
    .option('--include-tests', 'also scan test files (__tests__/, test/, tests/, *.test.*, *.spec.*)')
    .option('-q, --quiet', 'report errors only')
    .option('--no-color', 'no colours (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('--baseline <file>', 'report and gate only on findings not in this baseline')
    .option('--write-baseline <file>', 'record the current findings as the baseline and exit 0')
    .option('--stats', 'print the time and count of each phase to stderr')
    .option('--no-prefilter', 'parse every discovered file, not only those whose text can matter (slow; for checking the filter)')
    .addHelpText('after', EXIT_HELP)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .action(async (paths: string[], flags: ScanFlags) => {
      exitCode = await scan(paths, flags);
    });
  registerCommands(program, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.OK : EXIT.ERROR;
    }
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`stripe-audit: ${err.message}\n`);
      return EXIT.ERROR;
    }
    process.stderr.write(`stripe-audit: internal error: ${(err as Error).stack ?? err}\n`);
    return EXIT.ERROR;
  }
}
