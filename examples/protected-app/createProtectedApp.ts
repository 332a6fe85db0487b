// An app of your own that hosts Keyward in-process and protects its routes with it.
// In your project, import from the keyward package instead of ../../server.
import Koa from 'koa';
import Router from '@koa/router';
import type { AppDeps } from '../../server/app.js';
import { createKeyward } from '../../server/protect/createKeyward.js';

export function createProtectedApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: deps.config.trustProxy });
  const keyward = createKeyward({ ...deps, app });
  // /api/* (sign-up, sign-in, factors, whoami, token), /.well-known/jwks.json and, when the
  // client is built, the sign-in pages. Everything else is this app's own.
  app.use(keyward.routes());

  const router = new Router();
  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>Example app</title>
<h1>Example app</h1>
<p>Anyone can read this page. <a href="/reports">Reports</a> need a sign-in with a second factor
(<a href="/signin">sign in</a> or <a href="/signup">create an account</a> first).</p>`;
  });
  // Password and a second factor (aal 2); requireUser({ aal: 1 }) would accept a password alone.
  router.get('/reports', keyward.requireUser({ aal: 2 }), (ctx) => {
    const user = ctx.state.keywardUser!;
    ctx.body = { reportFor: user.username, name: user.displayName, aal: user.aal, amr: user.amr };
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
