// Test helper: a real npm registry (verdaccio 6.8.0) on a free loopback port, with no uplinks (it never
// talks to the public registry), its storage, config and htpasswd in a temporary folder. Packages are
// published and deprecated with the requests the npm client sends (libnpmpublish's PUT /:package with the
// version and its tarball attached; npm deprecate's PUT of the edited document), authenticated through a
// user created with the htpasswd flow (PUT /-/user/org.couchdb.user:<name>). Sent directly rather than
// through `npm publish`: one npm process per version cost a second or more of CPU each, and the set-up of
// a file publishing nine versions outran its hook timeout on a loaded 2-core machine.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VERDACCIO_BIN = path.join(REPO, 'node_modules', 'verdaccio', 'bin', 'verdaccio');

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Verdaccio {
  /** Registry URL with a trailing slash, e.g. http://127.0.0.1:4873/ */
  url: string;
  port: number;
  dir: string;
  /** Path of an .npmrc holding this registry and the publishing token. */
  npmrc: string;
  publish(version: string, opts?: { tag?: string; name?: string }): Promise<void>;
  deprecate(spec: string, message: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts verdaccio on `port` (a free one when not given). */
export async function startVerdaccio(port?: number): Promise<Verdaccio> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-verdaccio-'));
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}/`;
  // No uplinks and no `middlewares: audit` (the default config's audit middleware forwards to the public registry).
  const config = [
    `storage: ${JSON.stringify(path.join(dir, 'storage'))}`,
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(path.join(dir, 'htpasswd'))}`,
    '    algorithm: sha1',
    'uplinks: {}',
    'packages:',
    "  '**':",
    '    access: $all',
    '    publish: $authenticated',
    '    unpublish: $authenticated',
    'web:',
    '  enabled: false',
    'server:',
    '  keepAliveTimeout: 0',
    'log: { type: stdout, format: json, level: warn }',
    '',
  ].join('\n');
  const configPath = path.join(dir, 'config.yaml');
  fs.writeFileSync(configPath, config);

  const child: ChildProcess = spawn(process.execPath, [VERDACCIO_BIN, '--config', configPath, '--listen', `127.0.0.1:${port}`], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  // Most of the set-up hooks allow 60 s: leave the start-up all but the publishing of that.
  await waitForHttp(`${url}-/ping`, 50_000, () => child.exitCode !== null, () => output);

  // htpasswd flow: create a user, get a token.
  const res = await fetch(`${url}-/user/org.couchdb.user:tester`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: 'org.couchdb.user:tester', name: 'tester', password: 'tester-pass-123', type: 'user', roles: [] }),
  });
  const body = (await res.json()) as { token?: string };
  if (!res.ok || !body.token) throw new Error(`verdaccio adduser failed: ${res.status} ${JSON.stringify(body)}`);
  const npmrc = path.join(dir, '.npmrc');
  fs.writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${body.token}\n`);

  const pkgRoot = path.join(dir, 'pkgs');
  const auth = { authorization: `Bearer ${body.token}`, 'content-type': 'application/json' };
  const docUrl = (name: string) => `${url}${name.replace('/', '%2f')}`;
  const send = async (method: string, target: string, doc: unknown, what: string) => {
    const r = await fetch(target, { method, headers: auth, body: JSON.stringify(doc) });
    if (!r.ok) throw new Error(`verdaccio ${what} failed: ${r.status} ${await r.text()}`);
  };

  return {
    url,
    port,
    dir,
    npmrc,
    async publish(version, opts = {}) {
      const name = opts.name ?? 'stripe';
      const manifest = { name, version, description: 'test double of the stripe SDK', main: 'index.js', license: 'MIT' };
      const pdir = path.join(pkgRoot, `${name.replace('/', '+')}-${version}`, 'package');
      fs.mkdirSync(pdir, { recursive: true });
      fs.writeFileSync(path.join(pdir, 'package.json'), JSON.stringify(manifest, null, 2));
      fs.writeFileSync(path.join(pdir, 'index.js'), 'module.exports = {};\n');
      const { stdout: tgz } = await execFileP('tar', ['-czf', '-', '-C', path.dirname(pdir), 'package'], { encoding: 'buffer' });
      const file = `${name.split('/').pop()}-${version}.tgz`;
      const tag = opts.tag ?? 'latest';
      await send('PUT', docUrl(name), {
        _id: name,
        name,
        description: manifest.description,
        'dist-tags': { [tag]: version },
        versions: {
          [version]: {
            ...manifest,
            _id: `${name}@${version}`,
            dist: {
              shasum: crypto.createHash('sha1').update(tgz).digest('hex'),
              integrity: `sha512-${crypto.createHash('sha512').update(tgz).digest('base64')}`,
              tarball: `${url}${name}/-/${file}`,
            },
          },
        },
        access: null,
        _attachments: { [file]: { content_type: 'application/octet-stream', data: tgz.toString('base64'), length: tgz.length } },
      }, `publish ${name}@${version}`);
    },
    async deprecate(spec, message) {
      // name@version (exact), as the tests use it; npm deprecate edits the document and PUTs it back.
      const at = spec.lastIndexOf('@');
      const [name, version] = [spec.slice(0, at), spec.slice(at + 1)];
      const r = await fetch(docUrl(name), { headers: auth });
      if (!r.ok) throw new Error(`verdaccio: no document for ${name}: ${r.status}`);
      const doc = (await r.json()) as { versions: Record<string, { deprecated?: string }> };
      if (!doc.versions[version]) throw new Error(`verdaccio: ${spec} is not published`);
      doc.versions[version].deprecated = message;
      await send('PUT', docUrl(name), doc, `deprecate ${spec}`);
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(t);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForHttp(url: string, timeoutMs: number, dead: () => boolean, output: () => string): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (dead()) throw new Error(`verdaccio exited:\n${output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() - start > timeoutMs) throw new Error(`verdaccio did not start in ${timeoutMs} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
