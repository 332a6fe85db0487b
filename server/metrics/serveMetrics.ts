// METRICS_PORT: /metrics on a port of its own, for a scraper on the private network only; served
// by the single process, or by a cluster's primary (which loads nothing of the app itself).
import { createServer } from 'node:http';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { metricsRoutes, type MetricsSource } from './metricsRoutes.js';

export function serveMetrics(config: Config, source: MetricsSource, logger: Logger): ReturnType<typeof createServer> {
  const metricsApp = new Koa();
  metricsApp.use(metricsRoutes(source).routes());
  const server = createServer(metricsApp.callback());
  server.listen(config.metrics.port, config.metrics.host, () => {
    logger.info({ url: `http://${config.metrics.host}:${config.metrics.port}/metrics` }, 'metrics are served');
  });
  return server;
}
