// Debian's nginx as a real reverse proxy in front of a test app (installed by npm test).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild, waitUntilListening } from './childServer.js';

export const NGINX = '/usr/sbin/nginx';

/** Runs nginx in the foreground with `serverBlock` as its only server, until stop(). */
export async function startNginx(port: number, serverBlock: string): Promise<{ stop(): Promise<void> }> {
  if (!existsSync(NGINX)) throw new Error(`nginx not found at ${NGINX}: install it with 'apt-get install -y nginx' (npm test does).`);
  const dir = mkdtempSync(join(tmpdir(), 'keyward-nginx-'));
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d));
  const conf = `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
${serverBlock}
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitUntilListening(child, port, { name: 'nginx', output: () => stderr, withinMs: 10_000 });
  return {
    async stop() {
      await stopChild(child, 'SIGQUIT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
