// The words on the command line that run something other than a scan, in a module of their own: the
// executable reads them before it loads the CLI (bin/stripe-audit.js → src/scan/scan-pool.ts), to start the
// scan worker only for a scan. registerCommands (./index.ts) registers exactly SUBCOMMANDS (a test checks).

/** Subcommands, dispatched on the first operand; `help` is commander's own. */
export const SUBCOMMANDS = ['rules', 'explain', 'init'] as const;

/** The scan's options that take a value as the next argument (`--format json`); a test checks them against `--help`. */
export const VALUE_OPTIONS = new Set(['-f', '--format', '-o', '--output', '--sarif-output', '--json-output', '--fail-on', '--registry', '--registry-timeout', '-c', '--config', '--baseline', '--write-baseline']);

/** Options after which commander prints and exits without scanning. */
const INFO_FLAGS = new Set(['-h', '--help', '-V', '--version', '-v']);

/**
 * The operands of a command line as far as can be told before parsing it: the arguments that are not options
 * nor the values of VALUE_OPTIONS, and everything after `--`.
 */
function operands(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.push(...argv.slice(i + 1));
      break;
    }
    if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith('-')) out.push(a);
  }
  return out;
}

/**
 * True when these arguments run a scan (the default action): the first operand is not a subcommand and no
 * option prints and exits. A guess before commander parses them; a wrong one costs time, not results (the
 * worker is started for nothing, or a large tree is scanned on the main thread).
 */
export function runsScan(argv: readonly string[]): boolean {
  if (argv.some((a) => INFO_FLAGS.has(a))) return false;
  const first = operands(argv)[0];
  return first === undefined || !(first === 'help' || (SUBCOMMANDS as readonly string[]).includes(first));
}

/** The paths a scan's arguments name (`.` when none); a guess like runsScan. */
export function scanPaths(argv: readonly string[]): string[] {
  const paths = operands(argv);
  return paths.length ? paths : ['.'];
}
