// Human output: grouped by file, each finding with line:col, severity, message, rule id and a code frame.
import { Chalk } from 'chalk';
import type { Reporter } from './types.js';
import { summaryLine } from './summary.js';

export const textReporter: Reporter = ({ result, findings, color }) => {
  const c = new Chalk({ level: color ? 1 : 0 });
  const out: string[] = [];
  const byFile = new Map<string, typeof findings>();
  for (const f of findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  for (const [file, list] of byFile) {
    out.push(c.underline(file));
    for (const f of list) {
      const sev = f.suppressed ? c.gray('suppressed') : f.severity === 'error' ? c.red('error  ') : c.yellow('warning');
      out.push(`  ${c.dim(`${f.startLine}:${f.startColumn}`.padEnd(7))} ${sev}  ${f.message}  ${c.dim(f.ruleId)}`);
      if (f.snippet !== undefined) {
        const gutter = `${f.startLine} | `;
        out.push(c.dim(`    ${gutter}`) + f.snippet.replace(/\t/g, '  '));
        out.push(c.dim(`    ${' '.repeat(gutter.length)}`) + ' '.repeat(Math.max(0, f.startColumn - 1)) + c.red('^'));
      }
      if (f.suppressed) out.push(c.gray(`    suppressed: ${f.suppressed.justification || '(no reason given)'}`));
    }
    out.push('');
  }
  const active = findings.filter((f) => !f.suppressed);
  const line = summaryLine(result, findings);
  out.push(active.some((f) => f.severity === 'error') ? c.red.bold(line) : active.length ? c.yellow.bold(line) : c.green(line));
  return out.join('\n') + '\n';
};
