// Realistic non-Stripe source text for the synthetic monorepo: services, React components, utils, types,
// hooks, tests, CommonJS modules, framework routes, and look-alikes that must not become findings
// (db.charges.create, queue.payouts.create, paypal.payouts.create, a <Webhook> component, GitHub webhooks
// verified with HMAC). Nothing here may contain the word "stripe" on its own (test/bench-generate.test.ts
// counts Stripe files by that word).
import { Rng } from './rng.js';

export const DOMAINS = [
  'order', 'invoice', 'customer', 'account', 'billing', 'cart', 'catalog', 'inventory', 'shipping', 'user',
  'session', 'notification', 'report', 'analytics', 'search', 'review', 'subscription', 'plan', 'payment',
  'ledger', 'refund', 'checkout', 'pricing', 'tax', 'coupon', 'warehouse', 'vendor', 'tenant', 'audit', 'email',
  'media', 'upload', 'profile', 'team', 'project', 'task', 'comment', 'feed', 'chat', 'calendar', 'booking',
  'ticket', 'support', 'payroll', 'expense', 'budget', 'forecast', 'metric', 'payout', 'wallet', 'receipt',
] as const;

/** Objects no Stripe event is named after (Stripe's event names start with account, charge, invoice, payout, tax, ...). */
const NON_STRIPE_EVENT_OBJECTS = ['budget', 'calendar', 'task', 'team', 'upload', 'project', 'comment', 'feed', 'chat', 'booking', 'ticket', 'media', 'profile', 'notification', 'expense', 'warehouse', 'inventory', 'shipment', 'vendor', 'tenant', 'payroll', 'wallet', 'ledger', 'cart'];
const VERBS = ['get', 'list', 'create', 'update', 'remove', 'sync', 'load', 'resolve', 'build', 'compute', 'validate', 'normalize', 'archive', 'restore', 'schedule', 'reconcile', 'export', 'import', 'merge', 'apply'];
const ADJ = ['pending', 'active', 'failed', 'archived', 'draft', 'open', 'closed', 'paid', 'overdue', 'cancelled', 'processing', 'settled'];
const FIELD_TYPES: [string, string][] = [
  ['id', 'string'], ['createdAt', 'Date'], ['updatedAt', 'Date'], ['amount', 'number'], ['currency', 'string'],
  ['status', 'string'], ['tenantId', 'string'], ['ownerId', 'string'], ['title', 'string'], ['description', 'string | null'],
  ['quantity', 'number'], ['tags', 'string[]'], ['metadata', 'Record<string, string>'], ['paymentId', 'string | undefined'],
  ['paymentMethod', "'card' | 'bank_transfer' | 'invoice'"], ['email', 'string'], ['locale', 'string'], ['version', 'number'],
  ['isArchived', 'boolean'], ['dueDate', 'Date | null'], ['externalRef', 'string'], ['priority', "'low' | 'normal' | 'high'"],
];
const CSS = ['flex items-center gap-2', 'grid grid-cols-2 gap-4', 'rounded-lg border p-4', 'text-sm text-muted', 'font-semibold', 'mt-4 space-y-2', 'striped-table', 'card card--elevated'];

export const pascal = (s: string) => s.replace(/(^|[-_ ])(\w)/g, (_m, _p, c: string) => c.toUpperCase());
export const camel = (s: string) => {
  const p = pascal(s);
  return p[0].toLowerCase() + p.slice(1);
};
const plural = (s: string) => (s.endsWith('y') ? `${s.slice(0, -1)}ies` : s.endsWith('s') || s.endsWith('x') ? `${s}es` : `${s}s`);

const DECL = /^(?:export )?(?:async )?(?:function|class|const|enum|type|interface) (\w+)/gm;

/** Builds one file's text from blocks until it reaches a target size. */
export class Gen {
  constructor(readonly r: Rng) {}

  domain(): string {
    return this.r.pick(DOMAINS);
  }
  fields(n: number): [string, string][] {
    return this.r.sample(FIELD_TYPES, n);
  }

  interfaceBlock(entity: string): string {
    const E = pascal(entity);
    const fs = this.fields(this.r.int(4, 10));
    const lines = fs.map(([n, t]) => `  ${n}${this.r.chance(0.2) ? '?' : ''}: ${t};`);
    const status = this.r.sample(ADJ, this.r.int(3, 6)).map((a) => `'${a}'`).join(' | ');
    return `export type ${E}Status = ${status};

/** A ${entity} as stored by the ${entity} service. */
export interface ${E} {
${lines.join('\n')}
}

export interface ${E}Input extends Partial<Omit<${E}, 'id' | 'createdAt'>> {
  requestedBy: string;
}
`;
  }

  enumBlock(entity: string): string {
    const E = pascal(entity);
    const vals = this.r.sample(ADJ, this.r.int(3, 7));
    return `export enum ${E}Event {
${vals.map((v) => `  ${pascal(v)} = '${entity}.${v}',`).join('\n')}
}

export const ${entity.toUpperCase()}_EVENT_LABELS: Record<${E}Event, string> = {
${vals.map((v) => `  [${E}Event.${pascal(v)}]: '${pascal(v)} ${entity}',`).join('\n')}
};
`;
  }

  functionBlock(entity: string): string {
    const E = pascal(entity);
    const verb = this.r.pick(VERBS);
    const coll = plural(camel(entity));
    const limit = this.r.int(10, 500);
    const body = this.r.pick([
      () => `  const rows = await ctx.db.${coll}.findMany({ where: { tenantId: ctx.tenantId, status: { in: statuses } }, take: ${limit} });
  const result: ${E}[] = [];
  for (const row of rows) {
    if (row.isArchived && !options.includeArchived) continue;
    result.push({ ...row, amount: Math.round(row.amount * (1 + (options.markup ?? 0))) });
  }
  ctx.logger.debug('${verb}${E}', { count: result.length, tenantId: ctx.tenantId });
  return result;`,
      () => `  try {
    const existing = await ctx.db.${coll}.findUnique({ where: { id: input.id } });
    if (!existing) {
      throw new NotFoundError(\`${entity} \${input.id} not found\`);
    }
    const next = { ...existing, ...input, updatedAt: new Date(), version: existing.version + 1 };
    await ctx.db.${coll}.update({ where: { id: input.id, version: existing.version }, data: next });
    await ctx.events.publish('${entity}.updated', { id: next.id, paymentId: next.paymentId });
    return next;
  } catch (error) {
    ctx.logger.error('failed to ${verb} ${entity}', { error, id: input.id });
    throw error;
  }`,
      () => `  const grouped = new Map<string, ${E}[]>();
  for (const item of items) {
    const key = item.currency ?? 'usd';
    const bucket = grouped.get(key) ?? [];
    bucket.push(item);
    grouped.set(key, bucket);
  }
  return [...grouped.entries()].map(([currency, list]) => ({
    currency,
    total: list.reduce((sum, it) => sum + (it.amount ?? 0), 0),
    count: list.length,
    paymentIds: list.map((it) => it.paymentId).filter(Boolean),
  }));`,
      () => `  const page = Math.max(1, Number(query.page ?? 1));
  const pageSize = Math.min(${limit}, Number(query.pageSize ?? 25));
  const [total, rows] = await Promise.all([
    ctx.db.${coll}.count({ where: { tenantId: ctx.tenantId } }),
    ctx.db.${coll}.findMany({ where: { tenantId: ctx.tenantId }, skip: (page - 1) * pageSize, take: pageSize, orderBy: { createdAt: 'desc' } }),
  ]);
  return { page, pageSize, total, hasMore: page * pageSize < total, rows: rows.map(to${E}Dto) };`,
    ])();
    const isAsync = body.includes('await');
    const sig = body.includes('items)')
      ? `(items: ReadonlyArray<Partial<${E}>>)`
      : body.includes('query.')
        ? `(ctx: ServiceContext, query: { page?: string; pageSize?: string })`
        : body.includes('input.')
          ? `(ctx: ServiceContext, input: ${E}Input & { id: string }): Promise<${E}>`
          : `(ctx: ServiceContext, statuses: ${E}Status[], options: { includeArchived?: boolean; markup?: number } = {}): Promise<${E}[]>`;
    return `
export ${isAsync ? 'async ' : ''}function ${verb}${E}${this.r.chance(0.5) ? 's' : ''}${sig} {
${body}
}
`;
  }

  classBlock(entity: string): string {
    const E = pascal(entity);
    const coll = plural(camel(entity));
    const methods: string[] = [];
    for (const verb of this.r.sample(VERBS, this.r.int(2, 4))) {
      methods.push(
        this.r.pick([
          `  async ${verb}(id: string): Promise<${E} | undefined> {
    const cached = this.cache.get(id);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.value;
    const value = await this.repo.findById(id);
    if (value) this.cache.set(id, { at: Date.now(), value });
    return value;
  }`,
          `  async ${verb}Many(ids: string[], opts: { concurrency?: number } = {}): Promise<${E}[]> {
    const out: ${E}[] = [];
    const concurrency = opts.concurrency ?? 4;
    for (let i = 0; i < ids.length; i += concurrency) {
      const batch = await Promise.all(ids.slice(i, i + concurrency).map((id) => this.repo.findById(id)));
      out.push(...batch.filter((x): x is ${E} => x !== undefined));
    }
    this.logger.info(\`${verb} \${out.length} ${coll}\`);
    return out;
  }`,
          `  ${verb}Summary(items: ${E}[]): { total: number; byStatus: Record<string, number> } {
    const byStatus: Record<string, number> = {};
    let total = 0;
    for (const item of items) {
      byStatus[item.status] = (byStatus[item.status] ?? 0) + 1;
      total += typeof item.amount === 'number' ? item.amount : 0;
    }
    return { total, byStatus };
  }`,
          `  private async ${verb}WithRetry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        return await fn();
      } catch (error) {
        lastError = error;
        this.logger.warn('${entity} operation failed, retrying', { attempt, error });
        await new Promise((resolve) => setTimeout(resolve, 2 ** attempt * 100));
      }
    }
    throw lastError;
  }`,
        ]),
      );
    }
    return `
export class ${E}Service {
  private readonly cache = new Map<string, { at: number; value: ${E} }>();

  constructor(
    private readonly repo: Repository<${E}>,
    private readonly logger: Logger,
    private readonly ttlMs = ${this.r.int(1, 60) * 1000},
  ) {}

${methods.join('\n\n')}
}
`;
  }

  utilBlock(): string {
    return this.r.pick([
      () => `
export function formatMoney(minor: number, currency = 'USD', locale = 'en-US'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100);
}
`,
      () => `
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (size <= 0) throw new RangeError('size must be positive');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
`,
      () => `
export const debounce = <A extends unknown[]>(fn: (...args: A) => void, waitMs = ${this.r.int(50, 500)}) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), waitMs);
  };
};
`,
      () => `
export function parseDateRange(input: string | undefined, now = new Date()): { from: Date; to: Date } {
  const to = new Date(now);
  const from = new Date(now);
  switch (input) {
    case '7d':
      from.setDate(from.getDate() - 7);
      break;
    case '30d':
      from.setDate(from.getDate() - 30);
      break;
    case 'ytd':
      from.setMonth(0, 1);
      break;
    default:
      from.setDate(from.getDate() - ${this.r.int(1, 90)});
  }
  return { from, to };
}
`,
      () => `
export function pick<T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) {
    if (key in obj) out[key] = obj[key];
  }
  return out;
}
`,
      () => `
export function slugify(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\\u0300-\\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
`,
      () => `
export function assertNever(value: never, message = 'unexpected value'): never {
  throw new Error(\`\${message}: \${JSON.stringify(value)}\`);
}
`,
      () => `
export async function withTimeout<T>(promise: Promise<T>, ms = ${this.r.int(1, 30) * 1000}, label = 'operation'): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(\`\${label} timed out after \${ms}ms\`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
`,
      () => `
export function computePaymentSchedule(total: number, installments: number, start = new Date()): { due: Date; amount: number }[] {
  const base = Math.floor(total / installments);
  const remainder = total - base * installments;
  return Array.from({ length: installments }, (_, i) => {
    const due = new Date(start);
    due.setMonth(due.getMonth() + i);
    return { due, amount: base + (i === installments - 1 ? remainder : 0) };
  });
}
`,
    ])();
  }

  constBlock(entity: string): string {
    const E = pascal(entity);
    return `
export const ${entity.toUpperCase()}_DEFAULTS = Object.freeze({
  pageSize: ${this.r.int(10, 100)},
  retryAttempts: ${this.r.int(1, 5)},
  currency: '${this.r.pick(['usd', 'eur', 'gbp', 'jpy', 'cad'])}',
  paymentTerms: '${this.r.pick(['net15', 'net30', 'net60', 'due_on_receipt'])}',
  features: [${this.r.sample(['export', 'bulk-edit', 'audit-log', 'webhooks', 'sso', 'api-access'], 3).map((f) => `'${f}'`).join(', ')}],
} as const);

export type ${E}Defaults = typeof ${entity.toUpperCase()}_DEFAULTS;
`;
  }

  /** Calls whose method names match Stripe's money-moving calls on objects that are not Stripe clients. */
  lookalikeBlock(entity: string): string {
    const E = pascal(entity);
    return this.r.pick([
      () => `
export async function record${E}Charge(db: Database, orderId: string, amount: number) {
  // Our own ledger table, not a payment provider.
  const charge = await db.charges.create({ data: { orderId, amount, currency: 'usd', status: 'recorded' } });
  await db.refunds.create({ data: { chargeId: charge.id, amount: 0, reason: 'placeholder' } });
  return charge;
}
`,
      () => `
export async function enqueue${E}Payout(queue: JobQueue, vendorId: string, amountMinor: number) {
  return queue.payouts.create({ vendorId, amountMinor, runAt: new Date(Date.now() + 60_000) });
}
`,
      () => `
export async function send${E}PaypalPayout(paypal: PaypalClient, email: string, value: string) {
  const batch = await paypal.payouts.create({
    sender_batch_header: { sender_batch_id: \`batch-\${Date.now()}\`, email_subject: 'You have a payment' },
    items: [{ recipient_type: 'EMAIL', amount: { value, currency: 'USD' }, receiver: email }],
  });
  return batch.batch_header.payout_batch_id;
}
`,
      () => `
export async function mirror${E}Transfer(prisma: PrismaClient, from: string, to: string, amount: number) {
  return prisma.$transaction([
    prisma.transfer.create({ data: { from, to, amount } }),
    prisma.paymentIntent.create({ data: { reference: \`\${from}:\${to}\`, amount, state: 'created' } }),
  ]);
}
`,
      () => `
export async function capture${E}Payment(gateway: PaymentGateway, paymentId: string) {
  const intent = await gateway.paymentIntents.capture(paymentId);
  await gateway.refunds.create({ paymentId, amount: 0 });
  return intent.status === 'captured';
}
`,
    ])();
  }

  header(kind: 'service' | 'util' | 'types'): string {
    if (kind === 'types') return `// Generated-looking domain types. Keep in sync with the API schema.\n`;
    const imports = [
      `import type { Logger } from '@acme/logger';`,
      `import type { Repository, ServiceContext } from '../types/context';`,
      `import { NotFoundError } from '../errors';`,
    ];
    if (this.r.chance(0.4)) imports.push(`import { z } from 'zod';`);
    if (this.r.chance(0.3)) imports.push(`import { randomUUID } from 'node:crypto';`);
    if (this.r.chance(0.3)) imports.push(`import type { Database, JobQueue, PaypalClient, PrismaClient, PaymentGateway } from '../infra';`);
    if (this.r.chance(0.3)) imports.push(`import { to${pascal(this.domain())}Dto } from '../mappers';`);
    return kind === 'service' ? imports.join('\n') + '\n' : imports.slice(0, this.r.int(0, 2)).join('\n') + '\n';
  }

  /** Appends blocks from `make` until `target` characters. */
  fill(start: string, target: number, make: () => string): string {
    let out = start;
    let guard = 0;
    while (out.length < target && guard++ < 200) out += this.dedupe(out, make());
    return out;
  }

  private readonly declared = new Set<string>();
  private serial = 0;

  /** Renames a block's top-level declarations that the file already declares (no duplicate functions). */
  dedupe(sofar: string, block: string): string {
    if (this.declared.size === 0) for (const m of sofar.matchAll(DECL)) this.declared.add(m[1]);
    for (const m of [...block.matchAll(DECL)]) {
      let name = m[1];
      if (this.declared.has(name)) {
        const renamed = `${name}${++this.serial}`;
        block = block.replace(new RegExp(`\\b${name}\\b`, 'g'), renamed);
        name = renamed;
      }
      this.declared.add(name);
    }
    return block;
  }

  service(target: number, lookalike: boolean): string {
    const entity = this.domain();
    let out = this.header('service') + '\n' + this.interfaceBlock(entity);
    if (lookalike) out += this.lookalikeBlock(entity);
    return this.fill(out, target, () =>
      this.r.weighted<() => string>([
        [() => this.functionBlock(entity), 4],
        [() => this.classBlock(entity), 2],
        [() => this.utilBlock(), 1],
        [() => this.constBlock(entity), 1],
        [() => this.lookalikeBlock(entity), lookalike ? 1 : 0.05],
      ])(),
    );
  }

  util(target: number): string {
    return this.fill(this.header('util'), target, () => (this.r.chance(0.8) ? this.utilBlock() : this.constBlock(this.domain())));
  }

  types(target: number): string {
    return this.fill(this.header('types'), target, () => (this.r.chance(0.7) ? this.interfaceBlock(this.domain()) : this.enumBlock(this.domain())));
  }

  /** A React component (TSX). `name` forces a component name (look-alikes: Webhook, StripeLikeCard). */
  component(target: number, name?: string): string {
    const entity = this.domain();
    const E = pascal(entity);
    const C = name ?? `${E}${this.r.pick(['List', 'Card', 'Panel', 'Table', 'Form', 'Summary', 'Dialog', 'Badge'])}`;
    let out = `import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { Button, Spinner, Table } from '@acme/ui';
import { formatMoney } from '../utils/format';
import type { ${E} } from '../types/${entity}';

export interface ${C}Props {
  items: ${E}[];
  title?: string;
  onSelect?: (item: ${E}) => void;
  paymentLabel?: string;
}

export function ${C}({ items, title = '${pascal(this.r.pick(ADJ))} ${plural(entity)}', onSelect, paymentLabel = 'Payment' }: ${C}Props) {
  const [query, setQuery] = useState('');
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);

  const visible = useMemo(
    () => items.filter((item) => !query || JSON.stringify(item).toLowerCase().includes(query.toLowerCase())),
    [items, query],
  );

  useEffect(() => {
    if (!selected) return;
    setLoading(true);
    const timer = setTimeout(() => setLoading(false), ${this.r.int(100, 800)});
    return () => clearTimeout(timer);
  }, [selected]);

  const handleClick = useCallback(
    (item: ${E}) => {
      setSelected(item.id);
      onSelect?.(item);
    },
    [onSelect],
  );

  return (
    <section className="${this.r.pick(CSS)}">
      <header className="${this.r.pick(CSS)}">
        <h2>{title}</h2>
        <input value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Search ${plural(entity)}" />
      </header>
      {loading ? (
        <Spinner size="sm" />
      ) : (
        <Table>
          <tbody>
            {visible.map((item) => (
              <tr key={item.id} onClick={() => handleClick(item)} className={item.id === selected ? 'is-selected' : undefined}>
                <td>{item.id}</td>
                <td>{paymentLabel}</td>
                <td className="${this.r.pick(CSS)}">{formatMoney(item.amount ?? 0, item.currency)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      <Button variant="${this.r.pick(['primary', 'ghost', 'outline'])}" onClick={() => setSelected(null)}>
        Clear
      </Button>
    </section>
  );
}
`;
    out = this.fill(out, target, () =>
      this.r.pick([
        () => {
          const S = `${C}${this.r.pick(['Row', 'Header', 'Footer', 'Empty', 'Skeleton', 'Item'])}${this.r.int(1, 99)}`;
          return `
function ${S}({ label, value }: { label: string; value?: string | number }) {
  return (
    <div className="${this.r.pick(CSS)}">
      <span className="${this.r.pick(CSS)}">{label}</span>
      {value !== undefined ? <strong>{value}</strong> : <em>—</em>}
    </div>
  );
}
`;
        },
        () => this.utilBlock(),
      ])(),
    );
    return out + `\nexport default ${C};\n`;
  }

  hook(target: number): string {
    const entity = this.domain();
    const E = pascal(entity);
    const out = `import { useEffect, useRef, useState } from 'react';
import type { ${E} } from '../types/${entity}';

export function use${E}${this.r.pick(['s', 'Query', 'Details', 'Payments'])}(id: string | undefined, opts: { pollMs?: number } = {}) {
  const [data, setData] = useState<${E} | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const aborted = useRef(false);

  useEffect(() => {
    if (!id) return;
    aborted.current = false;
    const load = async () => {
      try {
        const res = await fetch(\`/api/${plural(entity)}/\${encodeURIComponent(id)}\`, { headers: { accept: 'application/json' } });
        if (!res.ok) throw new Error(\`HTTP \${res.status}\`);
        const json = (await res.json()) as ${E};
        if (!aborted.current) setData(json);
      } catch (err) {
        if (!aborted.current) setError(err as Error);
      }
    };
    void load();
    const timer = opts.pollMs ? setInterval(load, opts.pollMs) : undefined;
    return () => {
      aborted.current = true;
      if (timer) clearInterval(timer);
    };
  }, [id, opts.pollMs]);

  return { data, error, loading: !data && !error };
}
`;
    return this.fill(out, target, () => this.utilBlock());
  }

  test(target: number, subject: string): string {
    const entity = this.domain();
    const E = pascal(entity);
    let out = `import { describe, expect, it, vi, beforeEach } from 'vitest';
import { ${E}Service } from '../${subject}';

describe('${E}Service', () => {
  const repo = { findById: vi.fn(), save: vi.fn() };
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() };
  let service: ${E}Service;

  beforeEach(() => {
    vi.resetAllMocks();
    service = new ${E}Service(repo as never, logger as never, 1000);
  });
`;
    out = this.fill(out, target - 4, () => {
      const verb = this.r.pick(VERBS);
      return `
  it('${verb}s a ${entity} with payment ${this.r.pick(ADJ)}', async () => {
    repo.findById.mockResolvedValueOnce({ id: '${this.r.hex(8)}', amount: ${this.r.int(100, 99999)}, currency: 'usd', status: '${this.r.pick(ADJ)}' });
    const result = await service.${verb}?.('${this.r.hex(8)}');
    expect(repo.findById).toHaveBeenCalledTimes(1);
    expect(result).toMatchObject({ currency: 'usd' });
    expect(logger.error).not.toHaveBeenCalled();
  });
`;
    });
    return out + '});\n';
  }

  /** A CommonJS or plain-ESM JavaScript module (scripts, config, legacy helpers). */
  jsModule(target: number): string {
    const entity = this.domain();
    const cjs = this.r.chance(0.6);
    let out = cjs
      ? `'use strict';\n\nconst path = require('node:path');\nconst fs = require('node:fs');\n\n`
      : `import path from 'node:path';\nimport fs from 'node:fs';\n\n`;
    const names: string[] = [];
    out = this.fill(out, target, () => {
      const name = `${this.r.pick(VERBS)}${pascal(entity)}${this.r.int(1, 999)}`;
      names.push(name);
      return this.r.pick([
        () => `function ${name}(dir, options = {}) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(options.ext || '.json'));
  return files.map((file) => {
    const raw = fs.readFileSync(path.join(dir, file), 'utf8');
    try {
      return { file, data: JSON.parse(raw) };
    } catch (err) {
      console.warn('skipping invalid file', file, err.message);
      return { file, data: null };
    }
  });
}

`,
        () => `async function ${name}(client, ids) {
  const results = [];
  for (const id of ids) {
    const res = await client.get('/${plural(entity)}/' + id);
    if (res.status === 404) continue;
    results.push({ id, payment: res.data.paymentStatus || 'unknown', total: res.data.total });
  }
  return results.sort((a, b) => b.total - a.total);
}

`,
        () => `const ${name} = (rows) =>
  rows.reduce((acc, row) => {
    const key = row.${camel(entity)}Id || 'none';
    acc[key] = (acc[key] || 0) + Number(row.amount || 0);
    return acc;
  }, {});

`,
      ])();
    });
    return out + (cjs ? `module.exports = { ${names.join(', ')} };\n` : `export { ${names.join(', ')} };\n`);
  }

  /** A non-Stripe Express router: handlers that take requests and talk about payments but are not Stripe webhooks. */
  expressRoutes(target: number, js: boolean): string {
    let out = js
      ? `const express = require('express');\nconst { db } = require('../db');\n\nconst router = express.Router();\n`
      : `import { Router, type Request, type Response } from 'express';\nimport { db } from '../db';\n\nconst router = Router();\n`;
    const t = js ? '' : ': Request';
    const u = js ? '' : ': Response';
    const seen = new Set<string>();
    out = this.fill(out, target, () => {
      // A different resource per route, so a file's routes do not repeat.
      let entity = this.domain();
      for (let i = 0; i < 5 && seen.has(entity); i++) entity = this.domain();
      seen.add(entity);
      const coll = plural(entity);
      return this.r.pick([
        () => `
router.get('/${coll}/:id', async (req${t}, res${u}) => {
  const item = await db.${camel(coll)}.findUnique({ where: { id: req.params.id } });
  if (!item) return res.status(404).json({ error: 'not found' });
  res.json(item);
});
`,
        () => `
router.post('/${coll}/:id/payment', async (req${t}, res${u}) => {
  const { amount, method } = req.body;
  if (typeof amount !== 'number' || amount <= 0) return res.status(422).json({ error: 'invalid amount' });
  const payment = await db.payments.insert({ ${camel(entity)}Id: req.params.id, amount, method, status: 'pending' });
  res.status(201).json(payment);
});
`,
        // An internal event receiver: event.type is compared with the app's own event names, shaped like
        // Stripe's (`budget.created`) but on objects Stripe has no events for.
        () => {
          const own = this.r.pick(NON_STRIPE_EVENT_OBJECTS);
          return `
router.post('/${plural(own)}/events', async (req${t}, res${u}) => {
  const event = req.body;
  if (event.type === '${own}.${this.r.pick(['created', 'updated'])}' || event.type === '${own}.${this.r.pick(['deleted', 'synced', 'archived'])}') {
    await db.auditLog.insert({ kind: event.type, ref: event.id, at: new Date() });
  }
  res.sendStatus(202);
});
`;
        },
      ])();
    });
    return out + (js ? `\nmodule.exports = router;\n` : `\nexport default router;\n`);
  }

  /** GitHub webhook receiver verified with HMAC (x-hub-signature-256): a webhook, but not Stripe's. */
  githubWebhook(target: number): string {
    const out = `import crypto from 'node:crypto';
import express from 'express';

export const githubRouter = express.Router();

function verifyGithubSignature(payload: Buffer, signature: string | undefined, secret: string): boolean {
  if (!signature) return false;
  const expected = 'sha256=' + crypto.createHmac('sha256', secret).update(payload).digest('hex');
  return signature.length === expected.length && crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

githubRouter.post('/github/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  const ok = verifyGithubSignature(req.body, req.get('x-hub-signature-256'), process.env.GITHUB_WEBHOOK_SECRET ?? '');
  if (!ok) return res.status(401).send('bad signature');
  const event = JSON.parse(req.body.toString('utf8'));
  const kind = req.get('x-github-event');
  if (kind === 'push') {
    console.log('push to', event.repository.full_name, event.after);
  } else if (kind === 'pull_request' && event.action === 'opened') {
    console.log('new pull request', event.pull_request.number);
  }
  res.status(204).end();
});
`;
    return this.fill(out, target, () => this.utilBlock());
  }

  /** Next.js app-router route (non-Stripe). */
  nextRoute(target: number): string {
    const entity = this.domain();
    const out = `import { NextResponse } from 'next/server';
import { db } from '@/db';

export async function GET(request: Request) {
  const url = new URL(request.url);
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const rows = await db.${plural(camel(entity))}.findMany({ take: limit, orderBy: { createdAt: 'desc' } });
  return NextResponse.json({ data: rows, paymentStatus: rows.map((r) => r.status) });
}

export async function POST(request: Request) {
  const body = await request.json();
  if (!body?.title) return NextResponse.json({ error: 'title is required' }, { status: 400 });
  const created = await db.${plural(camel(entity))}.create({ data: { title: body.title, payment: body.payment ?? null } });
  return NextResponse.json(created, { status: 201 });
}
`;
    return this.fill(out, target, () => this.utilBlock());
  }

  /** Next.js pages-router API route (non-Stripe). */
  pagesApi(target: number): string {
    const entity = this.domain();
    const out = `import type { NextApiRequest, NextApiResponse } from 'next';
import { db } from '../../db';

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method === 'GET') {
    const items = await db.${plural(camel(entity))}.findMany({ where: { ownerId: String(req.query.owner ?? '') } });
    return res.status(200).json(items);
  }
  if (req.method === 'POST') {
    const item = await db.${plural(camel(entity))}.create({ data: req.body });
    return res.status(201).json(item);
  }
  res.setHeader('Allow', 'GET, POST');
  res.status(405).end('Method Not Allowed');
}
`;
    return this.fill(out, target, () => this.utilBlock());
  }

  /** NestJS controller (non-Stripe), including a payments endpoint. */
  nestController(target: number): string {
    const entity = this.domain();
    const E = pascal(entity);
    const out = `import { Body, Controller, Get, Param, Post, NotFoundException } from '@nestjs/common';
import { ${E}Service } from './${entity}.service';

@Controller('${plural(entity)}')
export class ${E}Controller {
  constructor(private readonly service: ${E}Service) {}

  @Get(':id')
  async findOne(@Param('id') id: string) {
    const item = await this.service.get(id);
    if (!item) throw new NotFoundException();
    return item;
  }

  @Post(':id/payment')
  async pay(@Param('id') id: string, @Body() body: { amount: number; method: string }) {
    return this.service.recordPayment(id, body.amount, body.method);
  }
}
`;
    return this.fill(out, target, () => this.utilBlock());
  }

  /** A Lambda handler that is not about Stripe. */
  lambda(target: number): string {
    const out = `import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const body = event.body ? JSON.parse(event.body) : {};
  if (!body.${camel(this.domain())}Id) {
    return { statusCode: 400, body: JSON.stringify({ error: 'missing id' }) };
  }
  return { statusCode: 200, body: JSON.stringify({ ok: true, payment: body.payment ?? null }) };
};
`;
    return this.fill(out, target, () => this.utilBlock());
  }

  /** The package's tiny db module (imported as ../db and @/db). */
  db(): string {
    return `// Thin data-access facade shared by the routes of this package.
import { PrismaClient } from '@prisma/client';

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const db = globalForPrisma.prisma ?? new PrismaClient({ log: ['warn', 'error'] });

if (process.env.NODE_ENV !== 'production') globalForPrisma.prisma = db;

export async function withTransaction<T>(fn: (tx: typeof db) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => fn(tx as unknown as typeof db));
}
`;
  }
}
