// `npm run screenshots`: every page of the client in the light and the dark theme, into
// docs/screenshots/ (or --dir), from a fresh Keyward with fixed data. Needs `npm run build`.
import { parseArgs } from 'node:util';
import { DEFAULT_DIR, takeScreenshots, THEMES, type Theme } from './screenshots/takeScreenshots.js';

const { values } = parseArgs({ options: { dir: { type: 'string' }, theme: { type: 'string', multiple: true } } });
const themes = (values.theme ?? [...THEMES]) as Theme[];
const unknown = themes.filter((t) => !THEMES.includes(t));
if (unknown.length) {
  console.error(`Unknown theme ${unknown.join(', ')}: use ${THEMES.join(' or ')}.`);
  process.exit(2);
}
const files = await takeScreenshots({ dir: values.dir ?? DEFAULT_DIR, themes, log: (line) => console.log(line) });
console.log(`${files.length} screenshots in ${values.dir ?? DEFAULT_DIR}`);
