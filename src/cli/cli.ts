// The command line: parses options (commander), loads the config, runs the audit, writes the report and
// picks the exit code. Exit codes: 0 clean, 1 findings at/above --fail-on, 2 usage/config error or an
// incomplete scan, 3 the registry could not be reached for a check that needs it.
import { Command, Option, CommanderError } from 'commander';
import { audit, scanRoot } from '../engine/engine.js';
import type { AuditResult } from '../engine/types.js';
import { FORMATS, REPORTERS, type Format } from '../report/index.js';
import { summaryLine } from '../report/summary.js';
import type { Outcome, ReportInput } from '../report/types.js';
import { displayPaths } from '../report/paths.js';
import { forTerminal, writeStderr } from '../report/sinks.js';
import { OutputError, writeOutputFile } from '../report/output-file.js';
import { dedupeTargets, targetProblem } from '../scan/targets.js';
import { TOOL_VERSION } from '../util/version.js';
import { loadConfig, ConfigError } from '../gate/config-load.js';
import type { Finding } from '../types.js';
import { registerCommands } from './commands/index.js';
import { applyBaseline, writeBaseline } from '../gate/baseline.js';
import { Progress } from './progress.js';
import { trace } from '../util/trace.js';
import { isHttpUrl, maskUrl } from '../sdk/mask-url.js';

const EXIT = { OK: 0, FINDINGS: 1, ERROR: 2, REGISTRY: 3 } as const;
/** setTimeout's limit: a longer --registry-timeout would fire at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

const EXIT_HELP = `
Exit codes:
  0  nothing at or above --fail-on
  1  findings at or above --fail-on
  2  usage or config error, no source file scanned, a report that could not be written, or the scan
     could not complete (unreadable path, unparsable file, internal error)
  3  the scan completed but the npm registry could not be reached for the SDK check (not with --offline)`;

interface ScanFlags {
  format: Format;
  output?: string;
  sarifOutput?: string;
  jsonOutput?: string;
  failOn: 'error' | 'warning' | 'never';
  offline?: boolean;
  registry?: string;
  registryTimeout: string;
  config?: string;
  includeTests?: boolean;
  quiet?: boolean;
  showSuppressed?: boolean;
  color: boolean;
  stats?: boolean;
  prefilter: boolean;
  baseline?: string;
  writeBaseline?: string;
  /** -v: the version (an alias of -V, which commander prints itself). */
  v?: boolean;
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

/** The exit code and what the reports say about completeness, decided before any report is written. */
function decideOutcome(result: AuditResult, failOn: ScanFlags['failOn'], offline: boolean): Outcome {
  const incomplete = result.fatal.length > 0 || result.diagnostics.some((d) => d.level === 'error' && d.kind !== 'registry');
  const sdkIncomplete = result.registryFailed && !offline;
  const exitCode = incomplete ? EXIT.ERROR : gate(result.findings, failOn) ? EXIT.FINDINGS : sdkIncomplete ? EXIT.REGISTRY : EXIT.OK;
  return { exitCode, complete: !incomplete && !sdkIncomplete, incomplete, sdkIncomplete };
}

async function scan(paths: string[], flags: ScanFlags): Promise<number> {
  if (flags.v) {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return EXIT.OK;
  }
  const timeout = Number(flags.registryTimeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT_MS)
    throw new UsageError(`--registry-timeout takes a positive number of milliseconds up to ${MAX_TIMEOUT_MS}, not '${flags.registryTimeout}'`);
  if (flags.registry !== undefined && !isHttpUrl(flags.registry)) throw new UsageError(`--registry takes an http(s) URL, not '${maskUrl(flags.registry)}'`);
  trace('options parsed');
  const targets = dedupeTargets(paths.length ? paths : ['.']);
  for (const t of targets) {
    const problem = targetProblem(t);
    if (problem) throw new UsageError(problem);
  }
  const config = loadConfig({ explicit: flags.config, searchFrom: scanRoot(targets) });
  if (flags.includeTests) config.includeTests = true;

  const toStdout = !flags.output;
  const progress = new Progress(process.stderr, !flags.quiet && !!process.stderr.isTTY && (flags.format === 'text' || !toStdout));
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
  // No false green: a run that read no source file at all checked nothing (ESLint 9 does the same).
  if (result.filesScanned === 0 && !result.fatal.length) {
    const named = targets.join(', ');
    result.fatal.push({ kind: 'config', level: 'error', message: `no TypeScript or JavaScript files to scan in ${named}${config.ignore.length ? ' (check the "ignore" patterns of the config)' : ''}` });
  }
  // Suppressions are read from files with findings and files that mention one; with neither (a clean
  // project, a scan that failed at once), nothing loads the parser they read comments with.
  if (result.findings.length || result.suppressionFiles?.length) {
    const { applySuppressions } = await import('../gate/suppressions.js');
    result.diagnostics.push(...applySuppressions(result));
  }
  let baselineNote: string[] = [];
  if (flags.baseline) baselineNote = applyBaseline(result, flags.baseline);
  const outcome = decideOutcome(result, flags.failOn, !!flags.offline);

  // Diagnostics: skipped files, registry failures, suppression warnings (stderr, never in stdout).
  const notes: string[] = [];
  for (const d of [...result.fatal, ...result.diagnostics]) {
    if (flags.quiet && d.level !== 'error') continue;
    notes.push(`${d.level}: ${d.message}`);
  }
  if (!flags.quiet) notes.push(...baselineNote);
  writeStderr(notes);

  if (flags.writeBaseline) {
    // A partial scan would record a partial baseline, and the findings it missed would count as new later.
    if (outcome.incomplete) {
      writeStderr(`the scan was incomplete: the baseline ${flags.writeBaseline} was not written`);
      return EXIT.ERROR;
    }
    writeBaseline(result, flags.writeBaseline);
    writeStderr(`wrote ${result.findings.filter((f) => !f.suppressed || f.suppressed.kind === 'baseline').length} findings to the baseline ${flags.writeBaseline}`);
    return EXIT.OK;
  }

  const shown = flags.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
  const display = displayPaths(result.root);
  const input = (color: boolean): ReportInput => ({ result, findings: shown, showSuppressed: !!flags.showSuppressed, quiet: !!flags.quiet, color, display, outcome });
  const report = REPORTERS[flags.format](input(toStdout ? useColor(flags, process.stdout) : false));
  if (flags.output) writeOutputFile(flags.output, report, 'the report');
  else process.stdout.write(report);
  // Extra reports next to the main one (Semgrep's --sarif-output / --json-output).
  if (flags.sarifOutput) writeOutputFile(flags.sarifOutput, REPORTERS.sarif(input(false)), 'the SARIF report');
  if (flags.jsonOutput) writeOutputFile(flags.jsonOutput, REPORTERS.json(input(false)), 'the JSON report');
  if (!toStdout || flags.format !== 'text') {
    if (!flags.quiet || outcome.exitCode >= EXIT.ERROR) process.stderr.write(`${summaryLine(input(false))}\n`);
  }
  trace('report written');
  if (flags.stats) {
    for (const s of result.stats) process.stderr.write(`stats: ${s.phase.padEnd(8)} ${s.ms.toFixed(1).padStart(9)} ms  ${String(s.count).padStart(7)}${s.rssMb ? `  ${s.rssMb.toFixed(0).padStart(5)} MB rss` : ''}\n`);
  }
  return outcome.exitCode;
}

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  let exitCode: number = EXIT.OK;
  program
    .name('stripe-audit')
    .description('Audit a TypeScript/JavaScript codebase for Stripe webhook, idempotency, SDK and key risks, without running it.')
    .version(TOOL_VERSION, '-V, --version')
    .addOption(new Option('-v', 'output the version number').hideHelp())
    .argument('[paths...]', 'files or folders to scan', [])
    .addOption(new Option('-f, --format <format>', 'report format').choices(FORMATS).default('text'))
    .option('-o, --output <file>', 'write the report to a file (the summary still goes to stderr)')
    .option('--sarif-output <file>', 'also write a SARIF report to this file')
    .option('--json-output <file>', 'also write a JSON report to this file')
    .addOption(new Option('--fail-on <level>', 'lowest severity that fails the run').choices(['error', 'warning', 'never']).default('error'))
    .option('--offline', 'no network: the SDK check uses only its cache and says what it skipped')
    .option('--registry <url>', 'npm registry for the SDK check (default: npm config, then the public registry)')
    .option('--registry-timeout <ms>', 'time budget of the whole SDK registry check, in milliseconds', '10000')
    .option('-c, --config <file>', 'config file (default: nearest stripe-audit.config.json or package.json "stripe-audit" key)')
    .option('--include-tests', 'also scan test files (__tests__/, test/, tests/, *.test.*, *.spec.*)')
    .option('-q, --quiet', 'report errors only')
    .option('--show-suppressed', 'text and github: also list suppressed and baselined findings')
    .option('--no-color', 'no colours (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('--baseline <file>', 'report and gate only on findings not in this baseline')
    .option('--write-baseline <file>', 'record the current findings as the baseline and exit 0 (2, writing nothing, if the scan was incomplete)')
    .option('--stats', 'print the time and count of each phase to stderr')
    .option('--no-prefilter', 'parse every discovered file, not only those whose text can matter (slow; for checking the filter)')
    .addHelpText('after', EXIT_HELP)
    .helpCommand('help [command]', 'show help for the scan or a command')
    .showHelpAfterError()
    .exitOverride()
    // Commander echoes arguments in its errors: shown like every other stderr text (sinks.ts).
    .configureOutput({ writeErr: (s) => process.stderr.write(s.split('\n').map(forTerminal).join('\n')), writeOut: (s) => process.stdout.write(s) })
    .action(async (paths: string[], flags: ScanFlags) => {
      exitCode = await scan(paths, flags);
    });
  registerCommands(program, (code) => {
    exitCode = code;
  });
  quietOnClosedPipes();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.OK : EXIT.ERROR;
    }
    if (err instanceof UsageError || err instanceof ConfigError || err instanceof OutputError) {
      writeStderr(err.message);
      return EXIT.ERROR;
    }
    writeStderr(`internal error: ${(err as Error).stack ?? err}`.split('\n'));
    return EXIT.ERROR;
  }
}

/**
 * `stripe-audit … | head`: once the reader has gone, the rest of the output has nowhere to go. End
 * quietly (no EPIPE stack trace) with the exit code the run decided.
 */
function quietOnClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
      if (stream === process.stdout) {
        writeStderr(`cannot write to stdout: ${err.code ?? err.message}`);
        process.exitCode = EXIT.ERROR;
      }
    });
  }
}
