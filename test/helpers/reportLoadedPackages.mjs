// Preloaded into a `keyward` process (node --import): at exit, writes to stderr the npm packages
// the process loaded through Node's CommonJS loader (mongodb, koa, pino, the argon2 binding...
// all are; ESM-only packages are not seen), one line: "loaded packages: a b c".
import { createRequire } from 'node:module';

const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const names = new Set();
  for (const file of Object.keys(cache)) {
    const m = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    if (m) names.add(m[1].replace('\\', '/'));
  }
  process.stderr.write(`loaded packages: ${[...names].sort().join(' ')}\n`);
});
