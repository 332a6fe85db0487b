// docs/screenshots/README.md: what each picture shows, written with the pictures so the two
// never disagree.
import type { Shot } from './journey.js';

export function indexPage(shots: Pick<Shot, 'name' | 'what'>[], themes: readonly string[], file: (page: string, theme: string) => string): string {
  return [
    '# Screenshots',
    '',
    'Every page of Keyward, in the light and the dark theme (the browser\'s setting), at 1200 × 800.',
    'They are taken from a fresh Keyward with fixed data (a fixed clock and seeded randomness), so',
    'each run gives the same pictures. After changing a page:',
    '',
    '```sh',
    'npm run screenshots              # builds, then writes every picture here',
    'npm run screenshots -- --theme dark --dir /tmp/shots   # one theme, elsewhere',
    '```',
    '',
    '`test/ops/screenshots.test.ts` fails when a page is missing here or the command breaks.',
    'This file is written by the same command.',
    '',
    `| Page | What it shows | ${themes.map((t) => t[0]!.toUpperCase() + t.slice(1)).join(' | ')} |`,
    `| --- | --- | ${themes.map(() => '---').join(' | ')} |`,
    ...shots.map((s) => `| ${s.name} | ${s.what} | ${themes.map((t) => `[${file(s.name, t)}](${file(s.name, t)})`).join(' | ')} |`),
    '',
  ].join('\n');
}
