// One serving process: open storage -> createApp -> listen; graceful shutdown on SIGTERM/SIGINT.
// main.ts runs it in-process (WORKERS=1) or in every worker of a cluster (server/cluster/).
import { createServer } from 'node:http';
import { Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { openStorage } from './storage/openStorage.js';
import type { RulesHolder } from './access/rules/createRulesHolder.js';
import { migrateData } from './prepareDatabase.js';
import { createApp } from './app.js';
import { cryptoRandom, systemClock } from './clock.js';
import { createMetrics } from './metrics/createMetrics.js';
import { metricsRoutes, type MetricsSource } from './metrics/metricsRoutes.js';
import { answerClientErrors } from './http/clientErrors.js';

const SWEEP_INTERVAL_MS = 60_000;
const BACKGROUND_INTERVAL_MS = 15_000;
const SHUTDOWN_GRACE_MS = 10_000;
// After SIGTERM, how often connections with no request in progress are closed. The first
// sweep waits this long too, so a request already sent on a just-accepted connection is read.
const IDLE_SWEEP_MS = 1_000;

// dist/server/runServer.js and server/runServer.ts sit two or one levels below the package root.
const packageRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/server/') ? '../../' : '../', import.meta.url));

export interface ServerRole {
  /** Serve METRICS_PORT here (a single process); in a cluster the primary does. */
  metricsPort: boolean;
  /** Turns this process's registry into what a public /metrics shows (a cluster's sum). */
  metricsSource?: (registry: import('prom-client').Registry) => MetricsSource;
  /** Told once the port is open. */
  onListening(): void;
  /** ACCESS_RULES_FILE, loaded (and watched) by the caller. */
  accessRules?: RulesHolder | undefined;
  /** A cluster worker: the primary ran prepareDatabase before forking it, so it only opens the database. */
  databasePrepared?: boolean;
}

export async function runServer(config: Config, logger: Logger, role: ServerRole): Promise<void> {
  const storage = await openStorage(config, { prepared: role.databasePrepared ?? false });
  if (!role.databasePrepared) await migrateData(storage, logger);
  const clientDir = config.clientDir ?? join(packageRoot, 'dist/client');
  const metrics = createMetrics({ processMetrics: true });
  const metricsSource = role.metricsSource?.(metrics.registry);
  const app = createApp({ config, storage, clock: systemClock, random: cryptoRandom, logger, clientDir, metrics, ...(metricsSource && { metricsSource }), ...(role.accessRules && { accessRules: role.accessRules }) });
  const server = createServer(app.callback());
  answerClientErrors(server);
  server.keepAliveTimeout = 5_000;
  server.on('error', (err: NodeJS.ErrnoException) => {
    // The usual first-run mistake deserves a sentence, not a stack trace.
    const why =
      err.code === 'EADDRINUSE'
        ? `Port ${config.port} on ${config.host} is already in use: stop the other program or set PORT.`
        : err.code === 'EACCES'
          ? `Not allowed to listen on port ${config.port}: use a port above 1023 or set PORT.`
          : err.message;
    // `error`, not `code`: the logger censors every `code` field (TOTP and recovery codes).
    logger.fatal({ error: err.code }, why);
    process.exit(1);
  });
  server.listen(config.port, config.host, role.onListening);
  // Metrics on their own port, for a scraper on the private network only.
  let metricsServer: ReturnType<typeof createServer> | undefined;
  if (role.metricsPort && config.metrics.port !== undefined) metricsServer = serveMetrics(config, metrics.registry, logger);

  const sweeper = setInterval(() => {
    // The single sign-on of sessions that expired first: it finds them by grants the sweep keeps.
    app.background.endExpiredSessions().catch((err: unknown) => logger.warn({ err }, 'ending expired single sign-on failed'));
    storage.sweepExpired(systemClock.now()).catch((err: unknown) => logger.warn({ err }, 'expiry sweep failed'));
  }, SWEEP_INTERVAL_MS);
  // Back-channel logouts due (retries; those owed start at once). Every worker runs it: each
  // delivery is claimed by one of them.
  const background = setInterval(() => {
    app.background.deliverLogouts().catch((err: unknown) => logger.warn({ err }, 'back-channel logout delivery failed'));
  }, BACKGROUND_INTERVAL_MS);
  background.unref();
  // Every worker sweeps: a DELETE of expired rows a minute is cheap and idempotent, and no
  // worker is special (any may die and be replaced).
  sweeper.unref();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    clearInterval(sweeper);
    clearInterval(background);
    metricsServer?.close();
    metricsServer?.closeAllConnections();
    const force = setTimeout(() => {
      logger.warn('requests still running after the grace period; closing them');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // Every answer from now on closes its connection, so keep-alive clients (a proxy) move on.
    server.on('request', (_req, res) => res.setHeader('Connection', 'close'));
    const idle = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    // Stop accepting with net.Server's close, not http.Server's: that one also destroys at once
    // every connection whose request has not been read yet, dropping requests already accepted.
    NetServer.prototype.close.call(server, () => {
      clearInterval(idle);
      storage
        .close()
        .then(() => {
          logger.info('stopped');
          process.exit(0);
        })
        .catch((err: unknown) => {
          logger.error({ err }, 'closing storage failed');
          process.exit(1);
        });
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

export function serveMetrics(config: Config, source: MetricsSource, logger: Logger): ReturnType<typeof createServer> {
  const metricsApp = new Koa();
  metricsApp.use(metricsRoutes(source).routes());
  const server = createServer(metricsApp.callback());
  server.listen(config.metrics.port, config.metrics.host, () => {
    logger.info({ url: `http://${config.metrics.host}:${config.metrics.port}/metrics` }, 'metrics are served');
  });
  return server;
}
