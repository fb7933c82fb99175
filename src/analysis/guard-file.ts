// One file's analysis must not cost the whole report. Nesting deeper than the call stack (where a
// helper still recurses) or a bug met on one file becomes a diagnostic naming the file (level error:
// the scan is incomplete, exit 2), and the other files are reported.
import type { Diagnostic } from '../types.js';

/** fn's result, or undefined with a diagnostic about `file` (none when `file` is undefined). */
export function guardFile<T>(file: string | undefined, diagnostics: Diagnostic[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (file !== undefined) {
      const why = err instanceof RangeError ? `nested too deeply (${err.message})` : `an internal error (${(err as Error).stack ?? err})`;
      diagnostics.push({ kind: 'internal', level: 'error', file, message: `could not analyse ${file}: ${why}` });
    }
    return undefined;
  }
}
