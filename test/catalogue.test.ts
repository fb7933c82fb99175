// The method catalogue (rules/knowledge/stripe-methods.ts) against the installed `stripe` package's own type
// definitions: every current method exists on its resource, and its request-options argument is where
// the catalogue says. Legacy entries (removedIn) must really be gone from the current major.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../dist/rules/knowledge/stripe-methods.js';

const STRIPE = path.resolve(__dirname, '../node_modules/stripe');
const RESOURCES = path.join(STRIPE, 'cjs', 'resources');
const installed: string = JSON.parse(fs.readFileSync(path.join(STRIPE, 'package.json'), 'utf8')).version;

/** `treasury.outboundPayments` → cjs/resources/Treasury/OutboundPayments.d.ts */
function declarationFile(resourcePath: string[]): string {
  const pascal = resourcePath.map((p) => p[0].toUpperCase() + p.slice(1));
  if (pascal[0] === 'V2') pascal[0] = 'V2';
  return path.join(RESOURCES, ...pascal) + '.d.ts';
}

/** Parameter names of `method(…)` in a resource's declaration. */
function parameters(file: string, method: string): string[] | undefined {
  const text = fs.readFileSync(file, 'utf8');
  const m = new RegExp(`\\n\\s+${method}\\(([^)]*)\\)`).exec(text);
  if (!m) return undefined;
  return m[1].split(/,(?![^<{]*[>}])/).map((p) => p.trim().split(/[?:]/)[0]).filter(Boolean);
}

const entries = [...CATALOGUE.values()] as Array<{ method: string; tier: string; optionsIndex: number; removedIn?: string }>;

describe(`method catalogue vs stripe ${installed} types`, () => {
  it('covers both tiers the issue names', () => {
    expect(entries.filter((e) => e.tier === 'money').length).toBeGreaterThanOrEqual(20);
    expect(entries.filter((e) => e.tier === 'billable').length).toBeGreaterThanOrEqual(11);
  });

  it.each(entries.filter((e) => !e.removedIn).map((e) => [e.method, e]))('%s exists, options at the catalogued position', (_m, e) => {
    const parts = e.method.split('.');
    const file = declarationFile(parts.slice(0, -1));
    expect(fs.existsSync(file), `${file} is missing`).toBe(true);
    const params = parameters(file, parts[parts.length - 1]);
    expect(params, `${e.method} is not declared in ${path.relative(STRIPE, file)}`).toBeDefined();
    expect(params!.indexOf('options')).toBe(e.optionsIndex);
  });

  it.each(entries.filter((e) => e.removedIn).map((e) => [e.method, e]))('%s is legacy: absent from the installed major', (_m, e) => {
    expect(Number(installed.split('.')[0])).toBeGreaterThanOrEqual(Number(e.removedIn!.split('.')[0]));
    const parts = e.method.split('.');
    const file = declarationFile(parts.slice(0, -1));
    expect(fs.existsSync(file) ? parameters(file, parts[parts.length - 1]) : undefined).toBeUndefined();
  });
});
