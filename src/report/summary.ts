// The one-line summary (end of the text report, and stderr for the other formats). It says what happened:
// an incomplete scan is never summarised as "0 errors", hidden warnings are counted, imported modules are
// counted apart from the scanned files, and a registry failure is named.
import type { ReportInput } from './types.js';

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export function summaryLine({ result, findings, quiet, showSuppressed, outcome }: Omit<ReportInput, 'color' | 'display'>): string {
  const all = result.findings;
  const active = all.filter((f) => !f.suppressed);
  const errors = active.filter((f) => f.severity === 'error').length;
  const warnings = active.length - errors;
  const files = new Set(findings.filter((f) => !f.suppressed).map((f) => f.file)).size;
  const suppressed = all.length - active.length;
  const imported = result.importedParsed ? `; ${plural(result.importedParsed, 'imported module')} parsed too` : '';
  const counts = `(${result.filesParsed} parsed of ${result.filesScanned} scanned${imported})`;
  const parts: string[] = [];
  if (outcome.incomplete) {
    parts.push(active.length ? `scan incomplete (see the errors above): ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')} so far ${counts}` : `scan incomplete (see the errors above) ${counts}`);
  } else if (quiet) {
    parts.push(`${plural(errors, 'error')} in ${plural(files, 'file')} ${counts}`);
    if (warnings) parts.push(`${plural(warnings, 'warning')} not shown (--quiet)`);
  } else parts.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')} ${counts}`);
  if (suppressed) parts.push(`${suppressed} suppressed${showSuppressed ? '' : ' (--show-suppressed lists them)'}`);
  if (outcome.sdkIncomplete) parts.push('SDK check incomplete: the registry could not be reached');
  return parts.join(', ');
}
