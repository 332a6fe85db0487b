// One of several processes opening new embedded store files at the same moments. It says
// "ready" once the server code is loaded and reads a start time t0 from stdin; round r then
// opens <base>/<r> at t0 + r * <step> ms (a wall-clock barrier shared by the racers, its last
// milliseconds spun so they leave it together). Prints what it saw as one JSON line.
import { once } from 'node:events';
import { createEmbeddedStorage } from '../../server/storage/embedded/createEmbeddedStorage.js';

const [base, rounds, step] = process.argv.slice(2);
console.log('ready');
const [t0] = (await once(process.stdin, 'data')) as [Buffer];
const failures: string[] = [];
let opened = 0;
for (let r = 0; r < Number(rounds); r++) {
  const at = Number(t0.toString()) + r * Number(step);
  const wait = at - Date.now() - 3;
  if (wait > 0) await new Promise((res) => setTimeout(res, wait));
  while (Date.now() < at);
  try {
    await createEmbeddedStorage({ dataDir: `${base}/${r}` }).close();
    opened++;
  } catch (err) {
    failures.push(`round ${r}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
console.log(JSON.stringify({ opened, failures }));
