// Test helper: small loopback HTTP servers for the registry tests.
// - an "audit front": answers npm's bulk advisory endpoint (POST /-/npm/v1/security/advisories/bulk) in the
//   format the npm registry documents, and forwards every other request to an upstream registry
//   (verdaccio). Verdaccio itself does not serve that endpoint without its audit middleware, which
//   would forward to the public registry, so the tests put this in front of it;
// - failing servers: one that never answers, one that answers 500, one that answers garbage.
// All bind 127.0.0.1 on a free port and record what they received.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import semver from 'semver';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TestServer {
  url: string; // with trailing slash
  port: number;
  requests: Recorded[];
  /** TCP connections accepted (counts attempts even when no request completes). */
  connections: () => number;
  close(): Promise<void>;
}

/** An advisory as the bulk endpoint returns it (npm registry docs: name, id, url, title, severity, vulnerable_versions, cwe, cvss). */
export interface BulkAdvisory {
  id: number;
  url: string;
  title: string;
  severity: 'low' | 'moderate' | 'high' | 'critical';
  vulnerable_versions: string;
  cwe?: string[];
  cvss?: { score: number; vectorString: string | null };
}

async function listen(handler: http.RequestListener): Promise<TestServer> {
  const requests: Recorded[] = [];
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
      (req as http.IncomingMessage & { rawBody?: string }).rawBody = body;
      handler(req, res);
    });
  });
  server.on('connection', (s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface FrontOptions {
  /** Answer the bulk advisory POST with this status and no advisories (a registry without the endpoint). */
  bulkStatus?: number;
  /** Without an upstream: serve GET /stripe as an abbreviated packument of these versions (the last is latest). */
  versions?: string[];
}

/** An abbreviated packument of `stripe` with these versions, the last one tagged latest. */
export function packumentOf(versions: string[]): object {
  return { name: 'stripe', 'dist-tags': { latest: versions.at(-1) }, versions: Object.fromEntries(versions.map((v) => [v, { name: 'stripe', version: v }])) };
}

/**
 * Bulk advisories in the registry's format, plus a pass-through to `upstream` for everything else.
 * Like the real endpoint it returns, per package, only the advisories that affect at least one of the
 * versions asked about.
 */
export async function startAuditFront(upstream: string | undefined, advisories: BulkAdvisory[], options: FrontOptions = {}): Promise<TestServer> {
  const up = upstream ? new URL(upstream) : undefined;
  return listen((req, res) => {
    const body = (req as http.IncomingMessage & { rawBody?: string }).rawBody ?? '';
    if (req.method === 'POST' && req.url === '/-/npm/v1/security/advisories/bulk' && options.bulkStatus) {
      res.writeHead(options.bulkStatus, { 'content-type': 'application/json' }).end('{"error":"not supported"}');
      return;
    }
    if (!up && options.versions && req.method === 'GET' && req.url === '/stripe') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packumentOf(options.versions)));
      return;
    }
    if (req.method === 'POST' && req.url === '/-/npm/v1/security/advisories/bulk') {
      let asked: Record<string, string[]>;
      try {
        asked = JSON.parse(body) as Record<string, string[]>;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad request"}');
        return;
      }
      const out: Record<string, BulkAdvisory[]> = {};
      const versions = asked.stripe ?? [];
      const hits = advisories.filter((a) => versions.some((v) => semver.satisfies(v, a.vulnerable_versions)));
      if (hits.length) out.stripe = hits;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
      return;
    }
    if (!up) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const headers = { ...req.headers, host: up.host };
    delete headers['accept-encoding'];
    const proxied = http.request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers }, (pres) => {
      res.writeHead(pres.statusCode ?? 502, pres.headers);
      pres.pipe(res);
    });
    proxied.on('error', () => res.writeHead(502).end());
    proxied.end(body);
  });
}

export type FailureMode = 'hang' | 'http500' | 'garbage' | 'wrong-shape' | 'huge' | 'huge-declared';

/** Bytes the 'huge' servers send at most (over the client's 32 MB cap), in 1 MB chunks written as the client reads. */
export const HUGE_BYTES = 48 * 1024 * 1024;
/** How many bytes the 'huge' servers managed to send. */
export const hugeSent = { bytes: 0 };

/** Stream HUGE_BYTES of a JSON string without holding it in memory: a chunk is written when the socket drains. */
function streamHuge(res: http.ServerResponse): void {
  const chunk = Buffer.alloc(1024 * 1024, 0x61); // 'a'
  let sent = 0;
  res.write('{"name":"stripe","padding":"');
  const pump = () => {
    while (sent < HUGE_BYTES) {
      sent += chunk.length;
      hugeSent.bytes += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end('"}');
  };
  res.on('close', () => res.removeAllListeners('drain'));
  pump();
}

export async function startFailingServer(mode: FailureMode): Promise<TestServer> {
  return listen((req, res) => {
    switch (mode) {
      case 'hang':
        return; // never answer; the client's timeout has to end it
      case 'http500':
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal server error"}');
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end('<html>this is not json{');
        return;
      case 'huge':
        res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length announced
        streamHuge(res);
        return;
      case 'huge-declared':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(HUGE_BYTES + 30) });
        streamHuge(res);
        return;
      case 'wrong-shape':
        // valid JSON, but neither a package document nor an advisories answer
        res.writeHead(200, { 'content-type': 'application/json' }).end(req.method === 'POST' ? '{"stripe":{"not":"a list"}}' : '{"name":"stripe","versions":[]}');
        return;
    }
  });
}

/** A loopback port with nothing listening on it (connection refused). */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** A server that answers every request with a redirect to `target` (same path). */
export async function startRedirector(target: string): Promise<TestServer> {
  return listen((req, res) => {
    res.writeHead(302, { location: new URL((req.url ?? '/').replace(/^\//, ''), target).toString() }).end();
  });
}

/** A "proxy" that only records: any connection to it means a request was routed through it. */
export async function startRecordingProxy(): Promise<TestServer> {
  return listen((_req, res) => {
    res.writeHead(502).end();
  });
}
