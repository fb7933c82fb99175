// The report formats: this table is the only list of them (the CLI's choices, help and messages derive from it).
import type { Reporter } from './types.js';
import { textReporter } from './text.js';
import { jsonReporter } from './json.js';
import { sarifReporter } from './sarif.js';
import { githubReporter } from './github.js';

export const REPORTERS = { text: textReporter, json: jsonReporter, sarif: sarifReporter, github: githubReporter } satisfies Record<string, Reporter>;

export type Format = keyof typeof REPORTERS;
export const FORMATS = Object.keys(REPORTERS) as Format[];
