// Serves the Vite build. Paths without a file get index.html, so client-side routes
// (/signin, /settings) survive a reload; hashed assets are cached for a year.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import serve from 'koa-static';
import { send } from '@koa/send';

export function staticClient(dir: string): Middleware {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`The client is not built: ${join(dir, 'index.html')} is missing (run npm run build).`);
  }
  const files = serve(dir, {
    index: 'index.html',
    setHeaders: (res, path) => {
      if (path.includes(`${join(dir, 'assets')}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      else res.setHeader('Cache-Control', 'no-cache');
    },
  }) as Middleware;
  return async (ctx, next) => {
    await files(ctx, next);
    if (ctx.status === 404 && !ctx.body && (ctx.method === 'GET' || ctx.method === 'HEAD') && ctx.accepts('html')) {
      ctx.set('Cache-Control', 'no-cache');
      await send(ctx, 'index.html', { root: dir });
    }
  };
}
