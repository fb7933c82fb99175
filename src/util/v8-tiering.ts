// When V8's optimizing compiler (TurboFan) starts on a function: after this much of its bytecode has run
// (the interrupt budget; V8's default is 66 kB in Node 20, 132 kB in later ones). A scan runs a great deal
// of code a few times over and ends within seconds, and on two cores TurboFan's compile threads competed
// with both scan threads and git: it cost more than the optimized code saved. Eight times Node 20's budget,
// measured there in paired runs against the default (each side with code caches of its own): medusa (8,244
// files, two threads) wall 0.92x, CPU 0.89x; the 20,000-file synthetic monorepo wall 0.95x; a 12-file app
// wall 0.96x, CPU 0.84x. Code that stays hot is still optimized, later.
//
// Set before any code is compiled or a code cache read (bundle-loader.ts and typescript-runtime.ts import
// this first): V8 accepts a code cache only under the flags it was made with, and the build's caches are
// made under these (warm-code-cache.ts, and the CLI runs it starts). Node leaves V8's flags unfrozen so that
// they can be set at run time (v8.setFlagsFromString); the scan worker's isolate starts after this and
// shares them.
import v8 from 'node:v8';
import { isMainThread } from 'node:worker_threads';

export const V8_TIERING_FLAGS = '--interrupt-budget=540672';

if (isMainThread) v8.setFlagsFromString(V8_TIERING_FLAGS);
