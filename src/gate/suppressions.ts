// Inline suppressions, in line or block comments:
//   // stripe-audit-ignore-next-line <rule-id>[, <rule-id>…] -- <reason>   (the next code line)
//   code // stripe-audit-ignore-line <rule-id>[, <rule-id>…] -- <reason>  (the line the comment starts on)
//   // stripe-audit-ignore-file <rule-id>[, <rule-id>…] -- <reason>        (the whole file; only in the
//                                                                           file's first comment block)
// A matched finding keeps its place in result.findings with `suppressed = { kind: 'inSource', justification }`
// (reporters show it; the gate ignores it). Warnings: a missing reason (the suppression still applies), an
// unknown rule id, a suppression that matched nothing, a misplaced file-level directive, and any other
// comment starting with `stripe-audit-ignore` (a form it does not understand, so it suppresses nothing).
import path from 'node:path';
import { ts } from '#typescript';
import type { AuditResult } from '../engine/types.js';
import type { Diagnostic, Finding } from '../types.js';
import { readTextFile } from '../scan/safe-read.js';
import { RULE_IDS } from '../../rules/ids.js';
import { isSourceFile } from '../scan/git-listing.js';
import { lineText } from '../analysis/line-table.js';

const MARKER = 'stripe-audit-ignore';
const DIRECTIVE = /^\s*stripe-audit-ignore-(next-line|line|file)\b([\s\S]*)$/;
const FORMS = ['stripe-audit-ignore-next-line', 'stripe-audit-ignore-line', 'stripe-audit-ignore-file'];

export interface SuppressionDirective {
  /** 'unknown': a comment starting with stripe-audit-ignore in a form not understood (`form` says which). */
  kind: 'next-line' | 'line' | 'file' | 'unknown';
  form?: string;
  ruleIds: string[];
  reason: string;
  /** 1-based line of the comment start. */
  line: number;
  /** 1-based line the directive applies to (next-line and line). */
  target?: number;
  /** false for a file directive that is not in the first comment block. */
  placed: boolean;
}

/** Finds the suppression directives in a source text (comments only, never strings or code). */
function parseDirectives(fileName: string, text: string): SuppressionDirective[] {
  if (!text.includes(MARKER)) return [];
  const kind = /\.[cm]?tsx$|\.jsx$/.test(fileName) ? ts.ScriptKind.TSX : /\.[cm]?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const firstCode = sf.statements.length ? sf.statements[0].getStart(sf) : sf.end;
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;

  // Collect each comment once: every comment lies in the leading trivia of some token (node.pos up to
  // the token's start); the trailing ranges at pos catch comments on the previous token's line.
  const comments = new Map<number, ts.CommentRange>();
  const walk = (n: ts.Node) => {
    const kids = n.getChildren(sf);
    if (kids.length === 0) {
      if (n.kind === ts.SyntaxKind.JsxText) return; // JSX text is content, never trivia
      for (const c of ts.getLeadingCommentRanges(text, n.pos) ?? []) comments.set(c.pos, c);
      for (const c of ts.getTrailingCommentRanges(text, n.pos) ?? []) comments.set(c.pos, c);
      return;
    }
    for (const k of kids) if (text.slice(k.pos, k.end).includes(MARKER)) walk(k);
  };
  walk(sf);

  // The parser's line table (line-table.ts): lone \r and U+2028 end lines here as they do for findings.
  const starts = sf.getLineStarts();
  const directiveOnly = (i: number) => /^\s*(?:\/\/|\/\*|\{\s*\/\*)\s*stripe-audit-ignore-next-line\b/.test(lineText(text, starts, i + 1));

  const out: SuppressionDirective[] = [];
  for (const c of [...comments.values()].sort((a, b) => a.pos - b.pos)) {
    const raw = text.slice(c.pos, c.end);
    // A line comment is one directive; in a block comment the directive may start on any line (after
    // a leading `*`) and runs to the end of the comment.
    let body: string;
    let offset = 0; // line of the directive within the comment
    if (c.kind === ts.SyntaxKind.SingleLineCommentTrivia) body = raw.slice(2);
    else {
      const ls = raw.slice(2, -2).split(/\r\n|[\r\n\u2028\u2029]/).map((l) => l.replace(/^\s*\*(?!\/)/, ''));
      offset = ls.findIndex((l) => /^\s*stripe-audit-ignore/.test(l));
      if (offset < 0) continue;
      body = ls.slice(offset).join(' ');
    }
    const m = DIRECTIVE.exec(body);
    if (!m) {
      const form = /^\s*(stripe-audit-ignore\S*)/.exec(body);
      if (form) out.push({ kind: 'unknown', form: form[1], ruleIds: [], reason: '', line: lineOf(c.pos) + offset, placed: true });
      continue;
    }
    const [idsPart, ...rest] = m[2].split(/\s--\s?|\s--$|^--\s?/);
    const hasSeparator = rest.length > 0 || /(^|\s)--(\s|$)/.test(m[2]);
    const reason = hasSeparator ? rest.join(' -- ').trim() : '';
    const ruleIds = idsPart
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const line = lineOf(c.pos) + offset;
    const endLine = lineOf(c.end);
    if (m[1] === 'next-line') {
      let target = endLine + 1;
      while (target <= starts.length && directiveOnly(target - 1)) target++;
      out.push({ kind: 'next-line', ruleIds, reason, line, target, placed: true });
    } else if (m[1] === 'line') {
      out.push({ kind: 'line', ruleIds, reason, line, target: line, placed: true });
    } else {
      out.push({ kind: 'file', ruleIds, reason, line, placed: c.end <= firstCode });
    }
  }
  return out;
}

/** Applies inline suppressions to result.findings; returns warnings about the suppressions themselves. */
export function applySuppressions(result: AuditResult): Diagnostic[] {
  const known = new Set<string>(RULE_IDS);
  const enabled = new Set<string>(result.rules.map((r) => r.meta.id));
  const byFile = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const files = new Set<string>([...byFile.keys(), ...(result.suppressionFiles ?? [])]);
  const diagnostics: Diagnostic[] = [];
  const warn = (file: string, line: number, message: string) => diagnostics.push({ kind: 'suppression', level: 'warning', file, line, message: `${file}:${line}: ${message}` });

  for (const file of [...files].sort()) {
    if (!isSourceFile(file)) continue; // package.json and other non-source files hold no comments
    let text: string;
    try {
      text = readTextFile(path.resolve(result.root, file));
    } catch {
      continue;
    }
    const directives = parseDirectives(file, text);
    if (!directives.length) continue;
    const findings = byFile.get(file) ?? [];
    for (const d of directives) {
      if (d.kind === 'unknown') {
        warn(file, d.line, `'${d.form}' is not a suppression this tool understands, so it suppresses nothing; write \`// ${FORMS[0]} <rule-id> -- <reason>\` (or ${FORMS.slice(1).join(', ')})`);
        continue;
      }
      const name = `stripe-audit-ignore-${d.kind}`;
      if (!d.placed) {
        warn(file, d.line, `${name} must be in the file's first comment block (before any code); it has no effect here`);
        continue;
      }
      if (!d.ruleIds.length) {
        warn(file, d.line, `${name} names no rule id; write \`// ${name} <rule-id> -- <reason>\``);
        continue;
      }
      if (!d.reason) warn(file, d.line, `a reason is required: \`// ${name} ${d.ruleIds.join(', ')} -- <reason>\` (the suppression still applies)`);
      for (const id of d.ruleIds) {
        if (!known.has(id)) {
          warn(file, d.line, `unused suppression: unknown rule id '${id}' (run \`stripe-audit rules\` for the list)`);
          continue;
        }
        let matched = 0;
        for (const f of findings) {
          if (f.ruleId !== id) continue;
          if (d.kind !== 'file' && f.startLine !== d.target) continue;
          // An earlier directive may already have suppressed it: still counts as a match for this one.
          if (!f.suppressed || f.suppressed.kind === 'inSource') {
            if (!f.suppressed) f.suppressed = { kind: 'inSource', justification: d.reason };
            matched++;
          }
        }
        if (!matched && enabled.has(id)) {
          const where = d.kind === 'file' ? 'in this file' : `on line ${d.target}`;
          warn(file, d.line, `unused suppression: no ${id} finding ${where}; remove '${id}' from the directive`);
        }
      }
    }
  }
  return diagnostics;
}
