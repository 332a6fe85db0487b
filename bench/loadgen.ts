// A closed-loop load generator: `concurrency` virtual users each run iterations back to
// back for `durationMs`, over keep-alive HTTP. Every request's latency is kept, per label.
import { Agent, request } from 'node:http';

export interface Sample {
  label: string;
  ms: number;
  status: number;
}

export interface Reply {
  status: number;
  body: string;
  setCookie: string[];
  ms: number;
  /** The Location header of a redirect. */
  location?: string | undefined;
}

export class Http {
  private agent = new Agent({ keepAlive: true, maxSockets: 256 });
  /** `origin` '' sends no Origin header (a server-to-server caller, like a relying party's back end). */
  constructor(readonly base: string, readonly origin: string) {}

  get(path: string, cookie?: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send('GET', path, null, cookie, headers);
  }

  post(path: string, body: unknown, cookie?: string): Promise<Reply> {
    return this.send('POST', path, Buffer.from(JSON.stringify(body)), cookie);
  }

  /** A form POST (OAuth's token endpoint), with extra headers such as Authorization. */
  postForm(path: string, form: string, headers: Record<string, string> = {}): Promise<Reply> {
    return this.send('POST', path, Buffer.from(form), undefined, { 'Content-Type': 'application/x-www-form-urlencoded', ...headers });
  }

  private send(method: string, path: string, data: Buffer | null, cookie?: string, extra: Record<string, string> = {}): Promise<Reply> {
    const url = new URL(path, this.base);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          headers: { ...(data && { 'Content-Type': 'application/json', 'Content-Length': data.length }), ...(this.origin && { Origin: this.origin }), ...(cookie && { Cookie: cookie }), ...extra, ...(data && { 'Content-Length': data.length }) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), setCookie: res.headers['set-cookie'] ?? [], ms: performance.now() - started, location: res.headers.location }));
        },
      );
      req.on('error', reject);
      req.end(data ?? undefined);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Applies Set-Cookie headers to a "name=value; name2=value2" cookie string. */
export function updateCookie(cookie: string, setCookie: string[]): string {
  const jar = new Map(cookie.split('; ').filter(Boolean).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const));
  for (const c of setCookie) {
    const pair = c.split(';')[0]!;
    const name = pair.slice(0, pair.indexOf('='));
    const value = pair.slice(pair.indexOf('=') + 1);
    if (value) jar.set(name, value);
    else jar.delete(name);
  }
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

export interface RunResult {
  seconds: number;
  samples: Sample[];
  /** Iterations that found their input pool empty before the time was up. */
  exhausted: boolean;
}

/** `iteration` returns false when it has nothing left to do (a pool of one-time codes ran dry). */
export async function run(concurrency: number, durationMs: number, iteration: (vu: number, record: (s: Sample) => void) => Promise<boolean>): Promise<RunResult> {
  const samples: Sample[] = [];
  const record = (s: Sample) => samples.push(s);
  const started = performance.now();
  const deadline = started + durationMs;
  let exhausted = false;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, vu) => {
      while (performance.now() < deadline && !exhausted) {
        if (!(await iteration(vu, record))) exhausted = true;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, samples, exhausted };
}

export function summarize(samples: Sample[], label: string, seconds: number) {
  const xs = samples.filter((s) => s.label === label);
  const ms = xs.map((s) => s.ms).sort((a, b) => a - b);
  const pct = (p: number) => (ms.length ? ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))]! : NaN);
  return {
    rps: xs.length / seconds,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    errors: xs.filter((s) => s.status >= 400).length,
    count: xs.length,
  };
}
