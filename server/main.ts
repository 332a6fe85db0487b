// loadConfig -> one serving process (WORKERS=1), or a primary supervising WORKERS processes
// that each serve the same port (node:cluster): one Keyward uses every core of its machine.
import cluster from 'node:cluster';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { runServer } from './runServer.js';
import { runPrimary } from './cluster/runPrimary.js';
import { prepareDatabase } from './prepareDatabase.js';
import { workerMetricsSource } from './cluster/clusterMetrics.js';
import type { Logger } from 'pino';
import { loadAccessRules } from './access/rules/loadAccessRules.js';

function announce(config: Config, logger: Logger): void {
  if (!config.mongodbUri) {
    logger.warn(
      { dataDir: config.dataDir },
      'Using the embedded store (a file under DATA_DIR): fine for trying Keyward and for development, one machine only. Set MONGODB_URI for production.',
    );
  } else {
    logger.info('Using MongoDB storage');
  }
  if (config.directory) {
    const d = config.directory;
    logger.info({ urls: d.urls, implementation: d.implementation, startTls: d.startTls, userBase: d.userBase, accountBudget: config.rateLimits.account }, 'People also come from an LDAP directory (docs/directory.md)');
    if (!d.startTls && d.urls.some((u) => u.startsWith('ldap://') && !/^ldap:\/\/(127\.|localhost|\[::1\])/.test(u))) {
      logger.warn({ urls: d.urls }, 'LDAP without TLS: passwords cross the network in the clear. Use ldaps:// or LDAP_START_TLS=true.');
    }
  }
  if (config.generatedSecrets) {
    logger.warn({ dataDir: config.dataDir }, 'Using development secrets generated in DATA_DIR (set SESSION_SECRETS and TOTP_ENCRYPTION_KEYS for production)');
  }
}

function listening(config: Config, logger: Logger): () => void {
  // People open the first origin (where sign-up works), not the bind address.
  return () => logger.info({ url: config.origins[0], listen: `${config.host}:${config.port}`, workers: config.workers, origins: config.origins, rpId: config.rpId }, 'Keyward is listening');
}

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
  if (cluster.isWorker) {
    // A worker whose primary is gone (killed) must not linger holding the database.
    process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
    await runServer(config, logger, {
      metricsPort: false,
      metricsSource: workerMetricsSource,
      onListening: () => undefined,
      accessRules: loadAccessRules(config, logger),
      databasePrepared: true,
    });
    return;
  }
  announce(config, logger);
  if (config.access.signup === 'open' && config.env !== 'production') {
    logger.warn('SIGNUP=open (the default outside production): anyone who reaches Keyward can create an account. Set SIGNUP=closed or invite before exposing it.');
  }
  if (config.workers > 1) {
    // Checked here once, so a bad rule stops the start before any worker is forked.
    loadAccessRules(config, logger, { watch: false });
    // Before any worker exists: they would otherwise all create (or migrate) it at once.
    await prepareDatabase(config, logger);
    runPrimary(config, logger, listening(config, logger));
    return;
  }
  await runServer(config, logger, { metricsPort: true, onListening: listening(config, logger), accessRules: loadAccessRules(config, logger) });
}

main().catch((err: unknown) => {
  console.error('Keyward failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
