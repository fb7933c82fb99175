import type { Reporter } from './types.js';
import { textReporter } from './text.js';
import { jsonReporter } from './json.js';
import { sarifReporter } from './sarif.js';
import { githubReporter } from './github.js';

export const REPORTERS: Record<string, Reporter> = { text: textReporter, json: jsonReporter, sarif: sarifReporter, github: githubReporter };
