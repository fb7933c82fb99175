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

/**
 * Bulk advisories in the registry's format, plus a pass-through to `upstream` for everything else.
 * Like the real endpoint it returns, per package, only the advisories that affect at least one of the
 * versions asked about.
 */
export async function startAuditFront(upstream: string | undefined, advisories: BulkAdvisory[]): Promise<TestServer> {
  const up = upstream ? new URL(upstream) : undefined;
  return listen((req, res) => {
    const body = (req as http.IncomingMessage & { rawBody?: string }).rawBody ?? '';
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

export type FailureMode = 'hang' | 'http500' | 'garbage' | 'wrong-shape';

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
