// Sends requests "all at once" the way an attacker does: every TCP connection is opened
// first, and only when all are established is every request written, in the same tick.
// A fetch() loop does not reproduce this: undici queues and paces the requests, so the
// server sees them one after another and a check-then-count race never shows.
import { connect, type Socket } from 'node:net';

export interface BurstRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent as JSON with Content-Type application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded (OAuth endpoints). */
  form?: Record<string, string>;
}

export interface BurstResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Target: a port on 127.0.0.1, or one port per request (e.g. two instances, alternating). */
export async function burst(target: number | ((i: number) => number), requests: BurstRequest[]): Promise<BurstResponse[]> {
  const portOf = typeof target === 'number' ? () => target : target;
  const sockets = await Promise.all(requests.map((_, i) => open(portOf(i))));
  const answers = sockets.map((s) => collect(s));
  // All connections are up: write every request without yielding to the event loop.
  requests.forEach((r, i) => sockets[i]!.write(serialize(r, portOf(i))));
  return Promise.all(answers);
}

/** A request as `c` would send it (its cookies, Origin and extra headers such as X-Forwarded-For). */
export function asClient(c: { cookies: Map<string, string>; headers: Record<string, string>; origin: string }, method: string, path: string, json?: unknown): BurstRequest {
  const headers: Record<string, string> = { Origin: c.origin, ...c.headers };
  if (c.cookies.size) headers['Cookie'] = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return { method, path, headers, ...(json !== undefined && { json }) };
}

/** The statuses of a burst, counted: e.g. { 401: 5, 429: 295 }. */
export function countStatuses(responses: BurstResponse[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const r of responses) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    s.setNoDelay(true);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

function serialize(r: BurstRequest, port: number): string {
  const body = r.json !== undefined ? JSON.stringify(r.json) : r.form ? new URLSearchParams(r.form).toString() : '';
  const headers: Record<string, string> = { Host: `localhost:${port}`, Connection: 'close', ...r.headers };
  if (r.json !== undefined || r.form) {
    headers['Content-Type'] = r.form ? 'application/x-www-form-urlencoded' : 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `${r.method} ${r.path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

function collect(s: Socket): Promise<BurstResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    s.on('data', (d: Buffer) => chunks.push(d));
    s.once('error', reject);
    s.once('close', () => {
      const raw = Buffer.concat(chunks);
      const headEnd = raw.indexOf('\r\n\r\n');
      const head = raw.subarray(0, headEnd < 0 ? raw.length : headEnd).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const rest = headEnd < 0 ? Buffer.alloc(0) : raw.subarray(headEnd + 4);
      const body = (headers['transfer-encoding'] === 'chunked' ? dechunk(rest) : rest).toString('utf8');
      resolve({ status, headers, body });
    });
  });
}

// Chunk sizes count bytes, so this works on the raw bytes, not on decoded text.
function dechunk(b: Buffer): Buffer {
  const parts: Buffer[] = [];
  let rest = b;
  for (;;) {
    const nl = rest.indexOf('\r\n');
    const size = parseInt(rest.subarray(0, nl).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(rest.subarray(nl + 2, nl + 2 + size));
    rest = rest.subarray(nl + 2 + size + 2);
  }
}
