// A relying party's back-channel logout endpoint (OpenID Connect Back-Channel Logout 1.0): a
// real HTTP server that takes logout tokens, checks each one as a relying party must (§2.6,
// with jose against the issuer's JWKS) and keeps them. It can be told to fail the next
// requests (500), as a client that is down would.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export interface ReceivedLogout {
  payload: JWTPayload & { sid?: string; events?: Record<string, unknown> };
  header: { typ?: string | undefined; alg: string; kid?: string | undefined };
}

export interface LogoutReceiver {
  url: string;
  /** Every request answered 500 (the token was not looked at). */
  failed: number;
  received: ReceivedLogout[];
  failNext(n: number): void;
  /** Tokens for `sub`. */
  forSub(sub: string): ReceivedLogout[];
  close(): Promise<void>;
}

/** `jwks`: where the issuer's keys are read (the test app's own address for `issuer`'s JWKS). */
export async function startLogoutReceiver(opts: { issuer: () => string; jwksUrl: () => string }): Promise<LogoutReceiver> {
  let failures = 0;
  const r = { failed: 0, received: [] as ReceivedLogout[] } as LogoutReceiver;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (failures > 0) {
        failures--;
        r.failed++;
        res.writeHead(500).end();
        return;
      }
      check(req.method, req.headers['content-type'], body)
        .then((got) => {
          r.received.push(got);
          res.writeHead(200, { 'cache-control': 'no-store' }).end();
        })
        .catch((err: unknown) => res.writeHead(400).end(String(err)));
    });
  });

  async function check(method: string | undefined, type: string | undefined, body: string): Promise<ReceivedLogout> {
    if (method !== 'POST' || type !== 'application/x-www-form-urlencoded') throw new Error(`${method} ${type}`);
    const token = new URLSearchParams(body).get('logout_token');
    if (!token) throw new Error('no logout_token');
    const jwks = createRemoteJWKSet(new URL(opts.jwksUrl()));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: opts.issuer(), typ: 'logout+jwt', maxTokenAge: '2 minutes' });
    if (!payload.aud || !payload.iat || !payload.jti) throw new Error('aud, iat and jti are required');
    if (!(payload['events'] as Record<string, unknown> | undefined)?.[EVENT]) throw new Error('no back-channel logout event');
    if (!payload.sub && !payload['sid']) throw new Error('neither sub nor sid');
    if ('nonce' in payload) throw new Error('a logout token must not have a nonce');
    return { payload: payload as ReceivedLogout['payload'], header: protectedHeader };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/backchannel`;
  r.failNext = (n) => {
    failures = n;
  };
  r.forSub = (sub) => r.received.filter((x) => x.payload.sub === sub);
  r.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return r;
}
