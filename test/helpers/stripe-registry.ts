// Test helper: the one registry fixture the SDK tests share, verdaccio (test/helpers/registry-verdaccio.ts)
// with these `stripe` versions published and deprecated. The vitest global set-up starts it once for a run
// of the whole suite and hands its URL to the test files (provide / inject) at once, while it starts: the
// other test files run meanwhile, and the SDK files wait for the file the set-up writes when the registry
// is ready (or failed). A file run on its own starts its own copy, with the same content. Nothing here
// imports vitest at run time: the global set-up loads it.
import fs from 'node:fs';
import type {} from 'vitest';
import { startVerdaccio, type Verdaccio } from './registry-verdaccio.js';

/** The shared fixture as the global set-up provides it. */
export interface SharedRegistry {
  url: string;
  /** Written when the registry is ready: `ok`, or `failed:` and why. */
  readyFile: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared registry fixture, when the global set-up starts one. */
    stripeRegistry?: SharedRegistry;
  }
}

/** Published in this order, so that `latest` ends on 23.1.0; the 24 beta goes to the `beta` tag only. */
export const STRIPE_RELEASES = ['21.0.0', '22.5.0', '22.6.0', '22.6.1', '23.0.0', '23.1.0'];
export const STRIPE_BETA = '24.0.0-beta.1';
export const DEPRECATION = 'Security fix in 22.6.1: upgrade (multipart boundaries)';

export async function publishStripeFixture(registry: Verdaccio): Promise<void> {
  for (const v of STRIPE_RELEASES) await registry.publish(v);
  await registry.publish(STRIPE_BETA, { tag: 'beta' });
  await registry.deprecate('stripe@22.5.0', DEPRECATION);
  await registry.deprecate('stripe@22.6.0', 'Broken build, use 22.6.1');
}

export async function startStripeRegistry(port?: number): Promise<Verdaccio> {
  const registry = await startVerdaccio(port);
  try {
    await publishStripeFixture(registry);
  } catch (err) {
    await registry.stop();
    throw err;
  }
  return registry;
}

/** Waits until the global set-up says the shared registry is ready; throws what it says when it failed. */
async function whenReady(shared: SharedRegistry, timeoutMs = 110_000): Promise<void> {
  for (const start = Date.now(); ; await new Promise((r) => setTimeout(r, 50))) {
    const state = fs.existsSync(shared.readyFile) ? fs.readFileSync(shared.readyFile, 'utf8') : '';
    if (state === 'ok') return;
    if (state) throw new Error(`the shared registry fixture did not start: ${state}`);
    if (Date.now() - start > timeoutMs) throw new Error(`the shared registry fixture was not ready in ${timeoutMs} ms`);
  }
}

/** The shared fixture (`inject('stripeRegistry')`), or a copy of the file's own; `stop` stops only such a copy. */
export async function stripeRegistry(shared: SharedRegistry | undefined): Promise<{ url: string; stop: () => Promise<void> }> {
  if (shared) {
    await whenReady(shared);
    return { url: shared.url, stop: async () => {} };
  }
  const own = await startStripeRegistry();
  return { url: own.url, stop: () => own.stop() };
}
