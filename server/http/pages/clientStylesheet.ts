// The pages Keyward renders on the server for single sign-on (consent, sign-out, errors) wear
// the client's own stylesheet: the hashed file the built index.html links, served (and cached)
// with the client. Without a built client (an API-only server) they stay plain HTML.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function clientStylesheet(clientDir: string | undefined): string | null {
  const index = clientDir ? join(clientDir, 'index.html') : null;
  if (!index || !existsSync(index)) return null;
  return /<link rel="stylesheet"[^>]*href="(\/assets\/[^"]+\.css)"/.exec(readFileSync(index, 'utf8'))?.[1] ?? null;
}
