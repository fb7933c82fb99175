// GitHub Actions workflow commands: one annotation per finding, the rule id as title and the fix as message.
import type { Reporter } from './types.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProp = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export const githubReporter: Reporter = ({ findings }) => {
  const out: string[] = [];
  for (const f of findings) {
    if (f.suppressed) continue;
    const cmd = f.severity === 'error' ? 'error' : 'warning';
    const text = f.fix ? `${f.message} Fix: ${f.fix}` : f.message;
    out.push(`::${cmd} file=${escapeProp(f.file)},line=${f.startLine},col=${f.startColumn},endLine=${f.endLine},endColumn=${f.endColumn},title=${escapeProp(f.ruleId)}::${escapeData(text)}`);
  }
  return out.join('\n') + (out.length ? '\n' : '');
};
