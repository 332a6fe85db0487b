// The ceilings every Keyward figure is divided by, measured in the same run: a bare Koa
// endpoint that parses JSON (noop), one that also does one ES256 verification of a
// WebAuthn-shaped body with a cached key (es256), one that signs one RS256 JWT of an ID
// token's size with an RSA-2048 key, as the token endpoint signs its ID token (rs256), and bare
// node:http answering a fixed JSON body (node: what any Node server costs at least), and bare
// node:http answering with the very headers and body of a signed-in forward-auth check
// (node-answer: what any handler that writes that answer costs at least).
// Run: tsx bench/ceilingServer.ts MODE PORT [public JWK | answer JSON]
import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { createServer } from 'node:http';
import Koa from 'koa';
import bodyParser from '@koa/bodyparser';

const [mode, port, publicJwk] = process.argv.slice(2);
const ready = () => console.log('READY');

if (mode === 'node') {
  const body = Buffer.from('{"ok":true}');
  createServer((_req, res) => {
    res.writeHead(200, ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(body.length)]);
    res.end(body);
  }).listen(Number(port), '127.0.0.1', ready);
} else if (mode === 'node-answer') {
  // Headers as writeHead's flat list (name, value, ...) and the body as Latin-1, as Keyward writes them.
  const answer = JSON.parse(publicJwk!) as { headers: string[]; body: string };
  createServer((_req, res) => {
    res.writeHead(200, answer.headers);
    res.end(answer.body, 'latin1');
  }).listen(Number(port), '127.0.0.1', ready);
} else {
  const app = new Koa();
  app.use(bodyParser({ enableTypes: ['json'] }));
  const key = publicJwk ? createPublicKey({ key: JSON.parse(publicJwk) as never, format: 'jwk' }) : null;
  const rsa = mode === 'rs256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey : null;
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

  app.use((ctx) => {
    const body = (ctx.request.body ?? {}) as { response?: { response: { authenticatorData: string; clientDataJSON: string; signature: string } } };
    if (mode === 'es256' && key && body.response) {
      const r = body.response.response;
      const signed = Buffer.concat([Buffer.from(r.authenticatorData, 'base64url'), createHash('sha256').update(Buffer.from(r.clientDataJSON, 'base64url')).digest()]);
      ctx.body = { verified: verify('sha256', signed, { key, dsaEncoding: 'der' }, Buffer.from(r.signature, 'base64url')) };
      return;
    }
    if (rsa) {
      const now = Math.floor(Date.now() / 1000);
      const input = `${b64({ alg: 'RS256', kid: 'k' })}.${b64({ iss: 'http://localhost/oidc', sub: 'user-0123456789', aud: 'bench', iat: now, exp: now + 900, auth_time: now, acr: 'aal2', amr: ['hwk', 'pwd', 'mfa'], preferred_username: 'bench' })}`;
      ctx.body = { id_token: `${input}.${sign('sha256', Buffer.from(input), rsa).toString('base64url')}` };
      return;
    }
    ctx.body = { ok: true };
  });
  createServer(app.callback()).listen(Number(port), '127.0.0.1', ready);
}
