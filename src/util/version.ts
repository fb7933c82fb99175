// The tool's own name and version, read from its package.json (data, not code).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// dist/bundle and src/util are two levels below the package, dist/src/util three.
const manifest = ['../../package.json', '../../../package.json'].map((p) => path.resolve(here, p)).find((p) => fs.existsSync(p));
const pkg = JSON.parse(fs.readFileSync(manifest ?? path.resolve(here, '../../package.json'), 'utf8')) as { name: string; version: string };

export const TOOL_NAME = pkg.name;
export const TOOL_VERSION = pkg.version;
export const INFORMATION_URI = 'https://github.com/stripe-audit/stripe-audit';
export const ruleHelpUri = (id: string) => `${INFORMATION_URI}/blob/main/docs/rules.md#${id}`;
