// The answer to a signed-in person whom the access rules keep out of an app: a small page
// for a browser, JSON for anything else.
import type { Context } from 'koa';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function answerForbidden(ctx: Context, host: string, username: string | null): void {
  const message = `You don't have access to ${host}.`;
  ctx.status = 403;
  if (ctx.accepts('json', 'html') === 'html') {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>No access</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>${escapeHtml(message)}</h1>
<p>${username ? `You are signed in as <strong>${escapeHtml(username)}</strong>, and` : 'Your'} account is not allowed to use this app. If you think it should be, ask an administrator.</p>
</body></html>`;
    return;
  }
  ctx.body = { error: 'forbidden', message };
}
