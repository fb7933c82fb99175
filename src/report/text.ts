// Human output: grouped by file (paths relative to the working directory, `path:line:col` clickable), each
// finding with its level, message, rule id and a code frame. Every string from the scanned code goes
// through forTerminal (controls shown as escapes, secrets masked).
import { Chalk } from 'chalk';
import type { Reporter } from './types.js';
import { summaryLine } from './summary.js';
import { expandTabs, forTerminal, notACommand } from './sinks.js';

export const textReporter: Reporter = (input) => {
  const { findings, color, display, showSuppressed } = input;
  const c = new Chalk({ level: color ? 1 : 0 });
  const out: string[] = [];
  const byFile = new Map<string, typeof findings>();
  for (const f of findings) {
    if (f.suppressed && !showSuppressed) continue;
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  for (const [file, list] of byFile) {
    const shown = notACommand(forTerminal(display.fromCwd(file)));
    out.push(c.underline(shown));
    for (const f of list) {
      const sev = f.suppressed ? c.gray('suppressed') : f.severity === 'error' ? c.red('error  ') : c.yellow('warning');
      out.push(`  ${c.dim(`${shown}:${f.startLine}:${f.startColumn}`)}  ${sev}  ${forTerminal(f.message)}  ${c.dim(f.ruleId)}`);
      if (f.snippet !== undefined) {
        // The caret sits under the column of the finding as the frame shows it (tabs expanded, controls escaped).
        const frame = (s: string) => forTerminal(expandTabs(s));
        const gutter = `${f.startLine} | `;
        out.push(c.dim(`    ${gutter}`) + frame(f.snippet));
        const before = frame(f.snippet.slice(0, Math.max(0, f.startColumn - 1)));
        out.push(c.dim(`    ${' '.repeat(gutter.length)}`) + ' '.repeat([...before].length) + c.red('^'));
      }
      if (f.suppressed) out.push(c.gray(`    ${f.suppressed.kind === 'baseline' ? 'baselined' : 'suppressed'}: ${forTerminal(f.suppressed.justification) || '(no reason given)'}`));
    }
    out.push('');
  }
  const active = findings.filter((f) => !f.suppressed);
  const line = summaryLine(input);
  out.push(input.outcome.incomplete ? c.red.bold(line) : active.some((f) => f.severity === 'error') ? c.red.bold(line) : active.length ? c.yellow.bold(line) : c.green(line));
  return out.join('\n') + '\n';
};
