// Reads Semgrep-style expectations from fixture code: `// ruleid: rule-a, rule-b(warning)` above the line
// where a finding starts, `// ok: rule-a` above a line where it must not.
import fs from 'node:fs';
import path from 'node:path';

export interface Expectation {
  file: string; // relative to the fixture root, forward slashes
  line: number;
  ruleId: string;
  level?: 'error' | 'warning';
  kind: 'ruleid' | 'ok';
}

// In code: `// ruleid: …`, `/* ruleid: … */`, `{/* ruleid: … */}` (JSX). In .env, YAML, TOML and Terraform files:
// `# ruleid: …`. JSON has no comments: a `"//": "ruleid: …",` member on the line above (JSON.parse keeps the
// last of repeated keys, so a file may hold several).
const ANNOTATION = /^\s*(?:\/\/|\/\*|\*|\{\s*\/\*|#)\s*(ruleid|ok):\s*([^*]+?)\s*(?:\*\/\s*\}?)?\s*$|^\s*"\/\/"\s*:\s*"(ruleid|ok):\s*([^"]+?)\s*"\s*,?\s*$/;
const SOURCE = /\.(?:[cm]?[jt]sx?|json|ya?ml|toml|tf|tfvars)$|(?:^|\/)\.env(?:\.[\w.-]+)?$/;

export function listSources(dir: string, root = dir): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listSources(abs, root));
    else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts') && !e.name.endsWith('.map')) out.push(path.relative(root, abs).split(path.sep).join('/'));
  }
  return out;
}

export function readExpectations(root: string): Expectation[] {
  const out: Expectation[] = [];
  for (const rel of listSources(root)) {
    const lines = fs.readFileSync(path.join(root, rel), 'utf8').split(/\r?\n/);
    let pending: Array<Omit<Expectation, 'line' | 'file'>> = [];
    lines.forEach((text, i) => {
      const m = ANNOTATION.exec(text);
      if (m) {
        const kind = m[1] ?? m[3];
        for (const part of (m[2] ?? m[4]).split(',')) {
          const pm = /^\s*([a-z0-9-]+)\s*(?:\((error|warning)\))?\s*$/.exec(part);
          if (!pm) throw new Error(`${rel}:${i + 1}: malformed annotation '${part.trim()}'`);
          pending.push({ ruleId: pm[1], level: pm[2] as Expectation['level'], kind: kind as Expectation['kind'] });
        }
        return;
      }
      if (pending.length) {
        for (const p of pending) out.push({ ...p, file: rel, line: i + 1 });
        pending = [];
      }
    });
  }
  return out;
}
