// `stripe-audit rules`: id, default level and one-line summary of every rule, in RULES order.
import { RULES } from '../../../rules/index.js';

export function rulesCommand(width = process.stdout.columns || 120): string {
  const idW = Math.max(...RULES.map((r) => r.meta.id.length), 'RULE'.length);
  const levelW = 'LEVEL  '.length;
  const summaryW = Math.max(40, width - idW - levelW - 4);
  const out = [`${'RULE'.padEnd(idW)}  ${'LEVEL'.padEnd(levelW)}  SUMMARY`];
  for (const r of RULES) {
    const lines = wrap(r.meta.docs.summary, summaryW);
    out.push(`${r.meta.id.padEnd(idW)}  ${r.meta.defaultSeverity.padEnd(levelW)}  ${lines[0] ?? ''}`);
    for (const l of lines.slice(1)) out.push(`${''.padEnd(idW)}  ${''.padEnd(levelW)}  ${l}`);
  }
  out.push('', `${RULES.length} rules. \`stripe-audit explain <rule-id>\` shows a rule's documentation; set levels in stripe-audit.config.json ("rules").`);
  return out.join('\n') + '\n';
}

export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (cur && cur.length + 1 + word.length > width) {
      lines.push(cur);
      cur = word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) lines.push(cur);
  return lines;
}
