// loadConfig -> open storage -> createApp -> listen; graceful shutdown on SIGTERM/SIGINT.
import { createServer } from 'node:http';
import { Server as NetServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { openStorage } from './storage/openStorage.js';
import { createApp } from './app.js';
import { cryptoRandom, systemClock } from './clock.js';
import { createMetrics } from './metrics/createMetrics.js';
import { metricsRoutes } from './metrics/metricsRoutes.js';
import { createRulesHolder, type RulesHolder } from './access/rules/createRulesHolder.js';

const SWEEP_INTERVAL_MS = 60_000;
const SHUTDOWN_GRACE_MS = 10_000;
// After SIGTERM, how often connections with no request in progress are closed. The first
// sweep waits this long too, so a request already sent on a just-accepted connection is read.
const IDLE_SWEEP_MS = 1_000;

// dist/server/main.js and server/main.ts both sit two or one levels below the package root.
const packageRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/server/') ? '../../' : '../', import.meta.url));

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const storage = await openStorage(config);
  if (storage.kind === 'embedded') {
    logger.warn(
      { dataDir: config.dataDir },
      'Using the embedded store (a file under DATA_DIR): fine for trying Keyward and for development, single instance only. Set MONGODB_URI for production.',
    );
  } else {
    logger.info('Using MongoDB storage');
  }
  if (config.generatedSecrets) {
    logger.warn({ dataDir: config.dataDir }, 'Using development secrets generated in DATA_DIR (set SESSION_SECRETS and TOTP_ENCRYPTION_KEYS for production)');
  }

  if (config.access.signup === 'open' && config.env !== 'production') {
    logger.warn('SIGNUP=open (the default outside production): anyone who reaches Keyward can create an account. Set SIGNUP=closed or invite before exposing it.');
  }
  let accessRules: RulesHolder | undefined;
  if (config.access.rulesFile) {
    try {
      accessRules = createRulesHolder(config.access.rulesFile, logger);
    } catch (err) {
      // A bad rule stops the start, naming it: running with no rules or half of them is worse.
      console.error(err instanceof Error ? err.message : err);
      process.exit(78); // EX_CONFIG
    }
    const rules = accessRules;
    process.on('SIGHUP', () => rules.reload());
    rules.watch();
  }

  const clientDir = config.clientDir ?? join(packageRoot, 'dist/client');
  const metrics = createMetrics({ processMetrics: true });
  const app = createApp({ config, storage, clock: systemClock, random: cryptoRandom, logger: logger, clientDir, metrics, ...(accessRules && { accessRules }) });
  const server = createServer(app.callback());
  server.keepAliveTimeout = 5_000;
  server.listen(config.port, config.host, () => {
    logger.info({ url: `http://${config.host}:${config.port}`, origins: config.origins, rpId: config.rpId }, 'Keyward is listening');
  });
  // Metrics on their own port, for a scraper on the private network only.
  let metricsServer: ReturnType<typeof createServer> | undefined;
  if (config.metrics.port !== undefined) {
    const metricsApp = new Koa();
    metricsApp.use(metricsRoutes(metrics.registry).routes());
    metricsServer = createServer(metricsApp.callback());
    metricsServer.listen(config.metrics.port, config.metrics.host, () => {
      logger.info({ url: `http://${config.metrics.host}:${config.metrics.port}/metrics` }, 'metrics are served');
    });
  }

  const sweeper = setInterval(() => {
    storage.sweepExpired(systemClock.now()).catch((err: unknown) => logger.warn({ err }, 'expiry sweep failed'));
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    clearInterval(sweeper);
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

main().catch((err: unknown) => {
  console.error('Keyward failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
