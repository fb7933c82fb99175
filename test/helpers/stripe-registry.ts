// Test helper: the one registry fixture the SDK tests share, verdaccio (test/helpers/registry-verdaccio.ts)
// with these `stripe` versions published and deprecated. The vitest global set-up starts it once for a run
// of the whole suite and hands its URL to the test files (provide / inject); a file run on its own starts
// its own copy, with the same content. Nothing here imports vitest at run time: the global set-up loads it.
import type {} from 'vitest';
import { startVerdaccio, type Verdaccio } from './registry-verdaccio.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the shared registry fixture, when the global set-up started one. */
    stripeRegistry?: string;
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

export async function startStripeRegistry(): Promise<Verdaccio> {
  const registry = await startVerdaccio();
  try {
    await publishStripeFixture(registry);
  } catch (err) {
    await registry.stop();
    throw err;
  }
  return registry;
}

/** The shared fixture (`inject('stripeRegistry')`), or a copy of the file's own; `stop` stops only such a copy. */
export async function stripeRegistry(shared: string | undefined): Promise<{ url: string; stop: () => Promise<void> }> {
  if (shared) return { url: shared, stop: async () => {} };
  const own = await startStripeRegistry();
  return { url: own.url, stop: () => own.stop() };
}
