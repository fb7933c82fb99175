// The StripeModel: what the resolve stage knows about the scanned code, and what every rule asks.
import type { SourceRange } from './types.js';
import type { ParsedFile } from './analysis/parse.js';
import type { ApiCall } from './stripe/api-calls.js';
import type { KeyInfo } from './stripe/idempotency.js';
import type { WebhookHandler, VerificationCall } from './webhooks/model.js';
import type { SecretLiteral } from './stripe/secrets.js';
import type { ClientExposure } from './stripe/client-exposure.js';
import type { RuntimeFact } from './webhooks/runtime.js';
import type { HandrolledOnPath } from './webhooks/handrolled.js';
import type { ClientValue } from './stripe/request-provenance.js';

/** An API call with its key and the risk tier at this call site (see effectiveTier). */
export type ModelApiCall = ApiCall & { key: KeyInfo; tier: 'money' | 'billable' | 'other' };

/** A charge whose amount the client sets (src/stripe/charge-amounts.ts). */
export interface ClientAmount {
  call: ModelApiCall;
  /** The amount path in the params, as in the table: 'amount', 'line_items[].price_data.unit_amount'. */
  param: string;
  value: ClientValue;
  /** The request read, for messages: 'req.body.amount'. */
  field: string;
}

export type PackageManager = 'npm' | 'yarn' | 'pnpm' | 'bun';

export interface Advisory {
  id: string | number;
  title: string;
  url?: string;
  severity?: string;
  vulnerableVersions: string;
}

/** One package.json under the scanned paths that declares the `stripe` server SDK. */
export interface StripePackage {
  /** package.json path relative to the scan root. */
  manifest: string;
  /** Absolute directory of that package.json. */
  dir: string;
  /** The folder whose npm/yarn `workspaces` or pnpm-workspace.yaml includes this package (a monorepo), if any. */
  workspaceRoot?: string;
  /** Where `"stripe": "…"` stands in package.json (reported there). */
  declaration: SourceRange;
  /** The declared spec, e.g. "^16.2.0", "*", "github:stripe/stripe-node". */
  spec: string;
  field: 'dependencies' | 'devDependencies' | 'optionalDependencies' | 'peerDependencies';
  /** What is installed: exact version and where it came from; `fromRange` when only the declared range was known. */
  installed?: { version: string; source: string; fromRange: boolean };
  packageManager: PackageManager;
  /** Registry facts; undefined when the registry was not asked (offline) or could not be reached. */
  registry?: {
    latest: string;
    /** The registry's deprecation message for the installed version, if any. */
    deprecated?: string;
    advisories: Advisory[];
    /** All published versions (to name the lowest fixed version). */
    versions: string[];
    /** Versions the registry marks deprecated (skipped when naming the lowest fixed version). */
    deprecatedVersions: string[];
    /** Whether the advisory endpoint answered for the installed version. */
    advisoriesChecked: boolean;
  };
}

export interface StripeModel {
  /** Absolute scan root; every relative path is relative to it. */
  root: string;
  files: ParsedFile[];
  apiCalls: ModelApiCall[];
  handlers: WebhookHandler[];
  /** Verification calls anywhere in the parsed code (also outside detected handlers). */
  verifications: VerificationCall[];
  /** Hand-written Stripe signature checks anywhere in the parsed code (also outside detected handlers). */
  handrolledChecks: HandrolledOnPath[];
  secrets: SecretLiteral[];
  /** Secret keys and the server SDK reaching browser code. */
  clientExposures: ClientExposure[];
  /** Charges whose amount the client sets (computed on first use). */
  clientAmounts(): ClientAmount[];
  packages: StripePackage[];
  /** The stripe version that applies to a file (its nearest package's installed version), if known. */
  stripeVersionFor(relFile: string): { version: string; fromRange: boolean } | undefined;
  /** The edge runtime a file runs on (Deno, Workers, edge, Bun), when its `stripe` is the worker build there. */
  runtimeOf(file: ParsedFile): RuntimeFact | undefined;
}
