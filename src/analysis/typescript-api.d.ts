// Types of `#typescript` (package.json "imports"): the compiler API as ts-morph exports it. At run time
// `#typescript` is src/analysis/typescript-runtime.ts, which loads the same compiler module faster.
export { ts } from 'ts-morph';
export declare function saveParserCodeCache(): void;
export declare function writeParserCodeCache(dir: string): string;
export declare const BUILT_CODE_CACHE_DIR: string;
