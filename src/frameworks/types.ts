// The interface every framework adapter implements (one folder per framework, knip-style).
// An adapter knows how its HTTP entry points look and where its raw request body comes from; the
// webhook rules ask adapters and know nothing about frameworks themselves.
import type { ts } from '#typescript';
import type { ParsedFile, Parser } from '../analysis/parse.js';
import type { StripeResolver } from '../stripe/resolve.js';

export interface RouteInfo {
  /** The registration call: app.post('/webhook', …). */
  call: ts.CallExpression;
  /** The app/router expression the route is registered on. */
  app: ts.Expression;
  path?: string;
  /** Arguments between the path and the handler (middlewares, route options). */
  middlewares: ts.Expression[];
}

export interface HandlerEntry {
  framework: string;
  file: ParsedFile;
  fn: ts.FunctionLikeDeclaration;
  /** Where handler-level findings are reported. */
  reportNode: ts.Node;
  route?: RouteInfo;
}

/**
 * Facts about the whole scanned code that adapters read back when judging a handler. Each adapter fills
 * its own fields (`FrameworkAdapter.projectFacts`); a field no adapter filled keeps its default
 * (see `projectFacts` in ./index.ts).
 */
export interface ProjectFacts {
  /** NestFactory.create(…, { rawBody }) as seen in the scanned code (nestjs adapter). */
  nestRawBody: 'enabled' | 'missing' | 'bodyParser-disabled' | 'unknown';
  /**
   * Express body parsers that run before a router module's routes because an app (or a router) registers
   * them before mounting that module in another file: `app.use(express.json())` then
   * `app.use('/webhooks', require('./routes/stripe'))`. By the router module's absolute path, in the order
   * they run (express adapter).
   */
  expressMountParsers: Map<string, MountedParser[]>;
  /** The apps (and routers) that mount a router module, outermost first, by the module's absolute path (express adapter). */
  expressMountingApps: Map<string, ts.Expression[]>;
  /** koa-body registrations (koa adapter), and whether anything keeps ctx.request.rawBody (koa-bodyparser, the app itself). */
  koaBody: { calls: Array<{ call: ts.CallExpression; file: string; includeUnparsed: boolean | undefined }>; keepsRawBody: boolean };
  /**
   * Apps handed to a host platform that reads the request body before the app runs: Firebase
   * `onRequest(app)` (firebase adapter). The router adapters read it for the routes of such an app.
   */
  hostedApps: HostedApp[];
  /** `strapi::body` in config/middlewares and its includeUnparsed (strapi adapter); undefined when no such file was read. */
  strapiBody: { includeUnparsed: boolean | undefined; file: string } | undefined;
}

/** An app (`express()`) served by a platform that parses the body first and keeps the bytes elsewhere. */
export interface HostedApp {
  /** The app expression given to the host, and the call that hands it over. */
  app: ts.Expression;
  call: ts.CallExpression;
  label: string;
  /** What the host does to the body, in words. */
  reason: string;
  /** The request property where the host keeps the raw bytes. */
  keeps: string;
  /** How to hand the raw body to constructEvent there. */
  fix: string;
}

/** A body parser registered in one module before it mounts another. */
export interface MountedParser {
  /** The parser call (`express.json()`, `bodyParser.raw({ type })`). */
  parser: ts.Expression;
  /** The `use(…)` call that registers it, and the one that mounts the router module. */
  registration: ts.CallExpression;
  mount: ts.CallExpression;
  /** The mounting file, relative to the scan root. */
  file: string;
}

export interface AdapterContext {
  parser: Parser;
  resolver: StripeResolver;
  facts: ProjectFacts;
}

/** Verdict on a payload that is the framework's request body (`req.body`, `ctx.request.body`, …). */
export interface BodyVerdict {
  parsed: boolean;
  /** Why, in the framework's words. */
  reason: string;
  /** How to fix it when it differs from the adapter's `rawBodyFix` (the app runs on a host that parses first). */
  fix?: string;
}

/**
 * What the text prefilter (src/scan/filter-signals.ts) must know about a framework so that every file that may
 * hold one of its entry points reaches the parser. A file matching `entryText` or `routeFiles` is parsed
 * when its imports (through any number of modules) reach Stripe code, or at once when its path names
 * Stripe. Over-matching costs a little time; under-matching loses findings
 * (test/prefilter-equivalence.test.ts). The filter runs in the scan worker, which must not load
 * TypeScript: declare hints in a module without `#typescript` imports (the adapter's hints.ts) and list
 * them in src/frameworks/filter-hints.ts (test/prefilter.test.ts checks every adapter is listed).
 */
export interface FilterHints {
  /**
   * Source text that may register or export an entry point (`app.post(`, `@Controller`, `onRequest`).
   * It is part of the one regex every file goes through (its source only: no flags): start it with a
   * literal (not `\b`, a class or a lookbehind), so that most positions fail on the first character.
   */
  entryText?: RegExp;
  /** Root-relative POSIX paths where a file is an entry point by its location (file-based routing). */
  routeFiles?: RegExp;
  /** Source text holding a project fact the adapter reads (`NestFactory.create`): such files are always parsed. */
  facts?: RegExp;
}

export interface FrameworkAdapter {
  name: string;
  /** Human name for messages. */
  label: string;
  /** Entry points (HTTP handlers) in a file. */
  entries(file: ParsedFile, ctx: AdapterContext): HandlerEntry[];
  /** Facts this adapter needs from the whole scanned code (read once, before any handler is analysed). */
  projectFacts?(files: ParsedFile[], parser: Parser): Partial<ProjectFacts>;
  /**
   * A handler parameter the framework fills with the already parsed body (`@Body() body` in Nest):
   * the words for it ("the `@Body()` parameter, which Nest has already parsed"); undefined otherwise.
   */
  parsedBodyParam?(p: ts.ParameterDeclaration): string | undefined;
  /**
   * Judges another request property or element passed as the payload (`ctx.request.rawBody`,
   * `ctx.request.body[Symbol.for('unparsedBody')]`) before the generic reading (a property named raw* is raw);
   * undefined to leave it to that reading.
   */
  requestPayload?(entry: HandlerEntry, payload: ts.PropertyAccessExpression | ts.ElementAccessExpression, ctx: AdapterContext): BodyVerdict | undefined;
  /** Judges `<request>.body` passed as the payload; undefined when it cannot tell. */
  requestBody?(entry: HandlerEntry, body: ts.Expression, ctx: AdapterContext): BodyVerdict | undefined;
  /** A wiring problem that spoils any payload for this route (e.g. the body parser already ran). */
  wiringProblem?(entry: HandlerEntry, ctx: AdapterContext): string | undefined;
  /**
   * Functions that run before this entry's handler without being named on its route (guards,
   * interceptors, middleware registered on the app or router, hooks): a verification there verifies for it.
   */
  guards?(entry: HandlerEntry, ctx: AdapterContext): ts.FunctionLikeDeclaration[];
  /**
   * The function a call in this framework's handlers runs when the ordinary resolution (imports, methods)
   * cannot tell: Convex `ctx.runAction(internal.stripe.fulfill, args)` runs the `fulfill` export of
   * convex/stripe.ts. Undefined when it is not such a call.
   */
  callTarget?(call: ts.CallExpression, ctx: AdapterContext): ts.FunctionLikeDeclaration | undefined;
  /** How to hand the raw body to constructEvent in this framework. */
  rawBodyFix: string;
  /** What the text prefilter looks for so that this framework's entry points are parsed (see FilterHints). */
  filterHints: FilterHints;
}
