// The raw command line read the way the scan needs it, before the CLI (commander) has loaded: which
// folders to list with git at once, and what the scan input will likely be (scan-guess.ts). A guess:
// the CLI's own parse decides.

/** Options that take a value (so that their values are not taken for paths). */
export const VALUE_OPTIONS = new Set(['-f', '--format', '-o', '--output', '--fail-on', '--registry', '--registry-timeout', '-c', '--config', '--baseline', '--write-baseline', '--sarif-output', '--json-output']);
/** Command lines that do not scan. */
const NOT_A_SCAN = new Set(['rules', 'explain', 'init', 'help', '-h', '--help', '-v', '-V', '--version']);

/** Positional arguments and the options the scan input depends on; undefined when this is not a scan. */
export function scanArguments(argv: string[]): { paths: string[]; config?: string; includeTests: boolean } | undefined {
  const paths: string[] = [];
  let config: string | undefined;
  let includeTests = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (NOT_A_SCAN.has(a) && (a.startsWith('-') || paths.length === 0)) return undefined;
    if (a === '--include-tests') includeTests = true;
    else if (a === '-c' || a === '--config') config = argv[++i];
    else if (a.startsWith('--config=')) config = a.slice('--config='.length);
    else if (VALUE_OPTIONS.has(a)) i++;
    else if (!a.startsWith('-')) paths.push(a);
  }
  return { paths, config, includeTests };
}
