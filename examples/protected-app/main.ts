// Runs the example: `npm run example` (PORT, DATA_DIR and the rest as for Keyward itself;
// with no MONGODB_URI it keeps its data in an embedded store under DATA_DIR).
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/logger.js';
import { openStorage } from '../../server/storage/openStorage.js';
import { cryptoRandom, systemClock } from '../../server/clock.js';
import { createProtectedApp } from './createProtectedApp.js';

const config = loadConfig({ DATA_DIR: './data/example', ...process.env });
const logger = createLogger(config.logLevel);
const storage = await openStorage(config);
// The sign-in pages come with the built client (npm run build:client); the API works without.
const clientDir = fileURLToPath(new URL('../../dist/client', import.meta.url));
const app = createProtectedApp({
  config,
  storage,
  clock: systemClock,
  random: cryptoRandom,
  logger,
  clientDir: existsSync(`${clientDir}/index.html`) ? clientDir : undefined,
});
const server = createServer(app.callback());
server.listen(config.port, config.host, () => {
  logger.info({ url: `http://${config.host}:${config.port}`, origins: config.origins }, 'example app listening');
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => server.close(() => void storage.close().then(() => process.exit(0))));
}
