// A small HTTP client with a cookie jar, sending the app's Origin like a browser would.

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  setCookies: string[];
}

export class HttpClient {
  readonly cookies = new Map<string, string>();
  /** Sent with every request (e.g. X-Forwarded-For to come from another address). */
  readonly headers: Record<string, string> = {};

  constructor(
    readonly baseUrl: string,
    readonly origin: string,
  ) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    opts: { json?: unknown; body?: string; headers?: Record<string, string>; origin?: string | null } = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = {};
    if (opts.json !== undefined) headers['Content-Type'] = 'application/json';
    const origin = opts.origin === undefined ? this.origin : opts.origin;
    if (origin !== null) headers['Origin'] = origin;
    Object.assign(headers, this.headers);
    if (this.cookies.size) headers['Cookie'] = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    Object.assign(headers, opts.headers);
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: opts.json !== undefined ? JSON.stringify(opts.json) : opts.body,
      redirect: 'manual',
    });
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('application/json') && text) body = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: body as T, setCookies };
  }

  get<T = Record<string, unknown>>(path: string, opts?: Parameters<HttpClient['request']>[2]) {
    return this.request<T>('GET', path, opts);
  }
  post<T = Record<string, unknown>>(path: string, json: unknown = {}, opts: Parameters<HttpClient['request']>[2] = {}) {
    return this.request<T>('POST', path, { ...opts, json });
  }
  delete<T = Record<string, unknown>>(path: string, opts?: Parameters<HttpClient['request']>[2]) {
    return this.request<T>('DELETE', path, opts);
  }
  patch<T = Record<string, unknown>>(path: string, json: unknown, opts: Parameters<HttpClient['request']>[2] = {}) {
    return this.request<T>('PATCH', path, { ...opts, json });
  }

  /** A copy sharing nothing but the cookies present now (a second tab, or a stolen cookie). */
  clone(): HttpClient {
    const c = new HttpClient(this.baseUrl, this.origin);
    for (const [k, v] of this.cookies) c.cookies.set(k, v);
    Object.assign(c.headers, this.headers);
    return c;
  }
}
