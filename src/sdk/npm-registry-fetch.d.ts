// Minimal typings for what stripe-audit uses of npm-registry-fetch 19 (its credential lookup) and
// make-fetch-happen 15 (the HTTP client npm uses); neither package ships types.
declare module 'npm-registry-fetch' {
  /** The credential npm would send to a URL (npm-registry-fetch's lib/auth.js). */
  export interface Auth {
    token: string | null;
    auth: string | null;
    isBasicAuth: boolean;
    cert: string | null;
    key: string | null;
  }
  const npmFetch: { getAuth(uri: string, opts: Record<string, unknown>): Auth };
  export default npmFetch;
}

declare module 'make-fetch-happen' {
  namespace makeFetchHappen {
    interface Options {
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      timeout?: number;
      signal?: AbortSignal;
      redirect?: 'follow' | 'manual' | 'error';
      retry?: { retries?: number };
      cache?: string;
      proxy?: string;
      noProxy?: string;
      strictSSL?: boolean;
      ca?: string | string[];
      cert?: string;
      key?: string;
    }
    interface Response {
      status: number;
      headers: { get(name: string): string | null };
      body: AsyncIterable<Buffer>;
    }
  }
  function makeFetchHappen(uri: string, opts?: makeFetchHappen.Options): Promise<makeFetchHappen.Response>;
  export default makeFetchHappen;
}
