// Candidates parsed ahead (src/analysis/parse.ts parseAhead: the main thread parses what the scan worker
// found while the worker still promotes) are used only for the same path and text, once; anything else is
// parsed as usual, and a file that does not parse is still reported by parseText.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Parser, parseAhead } from '../dist/src/analysis/parse.js';
import { ModuleResolver } from '../dist/src/scan/module-resolver.js';

const ROOT = path.join(path.sep, 'project');
const file = (rel: string) => path.join(ROOT, rel);
const REFUND = "import Stripe from 'stripe';\nexport const r = (s: Stripe) => s.refunds.create({ payment_intent: 'pi' });\n";

describe('parseAhead', () => {
  it('the same path and text: parseText returns the tree parsed ahead, and uses it once', () => {
    const ahead = new Map();
    parseAhead([{ absPath: file('a.ts'), text: REFUND }], ahead);
    const early = ahead.get(file('a.ts')).sf;
    const parser = new Parser(ROOT, new ModuleResolver(), ahead);
    expect(parser.parseText(file('a.ts'), REFUND)!.sf).toBe(early);
    expect(ahead.size).toBe(0);
  });

  it('another text for the path (the file changed between the two reads): parsed again from that text', () => {
    const ahead = new Map();
    parseAhead([{ absPath: file('a.ts'), text: REFUND }], ahead);
    const early = ahead.get(file('a.ts')).sf;
    const changed = `${REFUND}export const two = 2;\n`;
    const parsed = new Parser(ROOT, new ModuleResolver(), ahead).parseText(file('a.ts'), changed)!;
    expect(parsed.sf).not.toBe(early);
    expect(parsed.sf.statements).toHaveLength(3);
  });

  it('a file with a syntax error parsed ahead is still reported as unparsable', () => {
    const ahead = new Map();
    const broken = 'export function pay( {\n';
    parseAhead([{ absPath: file('broken.ts'), text: broken }], ahead);
    const parser = new Parser(ROOT, new ModuleResolver(), ahead);
    expect(parser.parseText(file('broken.ts'), broken)).toBeUndefined();
    expect(parser.diagnostics.map((d: { kind: string; file: string }) => `${d.kind} ${d.file}`)).toEqual(['parse-error broken.ts']);
  });
});
