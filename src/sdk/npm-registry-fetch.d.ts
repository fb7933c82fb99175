// Minimal typings for npm-registry-fetch 19 (the package ships none; @types/npm-registry-fetch is for v8).
declare module 'npm-registry-fetch' {
  namespace npmFetch {
    interface Options {
      registry?: string;
      method?: string;
      body?: unknown;
      headers?: Record<string, string>;
      timeout?: number;
      signal?: AbortSignal;
      retry?: { retries?: number; factor?: number; minTimeout?: number; maxTimeout?: number };
      cache?: string;
      preferOnline?: boolean;
      proxy?: string;
      noProxy?: string;
      strictSSL?: boolean;
      ca?: string | string[];
      [key: string]: unknown;
    }
    interface Response {
      status: number;
      headers: { get(name: string): string | null };
      text(): Promise<string>;
      json(): Promise<unknown>;
    }
  }
  function npmFetch(uri: string, opts?: npmFetch.Options): Promise<npmFetch.Response>;
  namespace npmFetch {
    function json(uri: string, opts?: Options): Promise<unknown>;
  }
  export default npmFetch;
}
