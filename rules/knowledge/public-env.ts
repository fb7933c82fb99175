// Environment variables that bundlers inline into client code, as data. Plain module (no TypeScript): the
// scan worker's filter reads it too.

/** Prefixes of environment variables that bundlers inline into client bundles, with the bundler that does it. */
export const PUBLIC_ENV_PREFIXES: ReadonlyArray<{ prefix: string; bundler: string }> = [
  { prefix: 'NEXT_PUBLIC_', bundler: 'Next.js' },
  { prefix: 'VITE_', bundler: 'Vite' },
  { prefix: 'REACT_APP_', bundler: 'Create React App' },
  { prefix: 'EXPO_PUBLIC_', bundler: 'Expo' },
  { prefix: 'NUXT_PUBLIC_', bundler: 'Nuxt' },
  { prefix: 'GATSBY_', bundler: 'Gatsby' },
  { prefix: 'PUBLIC_', bundler: 'SvelteKit / Astro' },
];

const PREFIXES = PUBLIC_ENV_PREFIXES.map((p) => p.prefix).join('|');

/** Starts like a public variable. */
export const PUBLIC_ENV = new RegExp(`^(?:${PREFIXES})`);

/** For the filter: a public variable named like a Stripe secret key (NEXT_PUBLIC_STRIPE_SECRET_KEY, VITE_SK_STRIPE). */
export const PUBLIC_SECRET_ENV_SIGNAL = new RegExp(`\\b(?:${PREFIXES})\\w*(?:STRIPE\\w*(?:SECRET|_SK\\b|RESTRICTED)|(?:SECRET|SK_|RESTRICTED)\\w*STRIPE)`, 'i');

/** `NEXT_PUBLIC_STRIPE_KEY=sk_…` in an env file (a placeholder value still says what the variable holds). */
export const PUBLIC_ENV_ASSIGNMENT = new RegExp(`^[ \\t]*(?:export[ \\t]+)?((?:${PREFIXES})\\w+)[ \\t]*[=:][ \\t]*['"]?((?:sk|rk)_(?:live|test)_)`, 'gm');

export function bundlerOf(variable: string): string | undefined {
  return PUBLIC_ENV_PREFIXES.find((p) => variable.startsWith(p.prefix))?.bundler;
}
