// A clone has no `keyward` on its PATH: every command the README and docs give to copy runs
// the CLI through npx (or, in the container, node dist/server/cli.js).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const docs = ['README.md', ...readdirSync(join(repo, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Lines inside fenced code blocks, with the file they come from. */
function codeLines(file: string): string[] {
  const lines: string[] = [];
  let inside = false;
  for (const line of readFileSync(join(repo, file), 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) inside = !inside;
    else if (inside) lines.push(line);
  }
  return lines;
}

describe('the CLI in the docs', () => {
  it('tells a newcomer to run it with npx, from the package bin', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(pkg.bin['keyward']).toBe('dist/server/cli.js');
    expect(codeLines('README.md')).toEqual(expect.arrayContaining([expect.stringMatching(/^npx keyward admin grant \w+/)]));
  });

  it('says in the quick start how to stop the server and how to make the first administrator', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Using it'));
    expect(quickStart).toMatch(/Ctrl-C/);
    expect(quickStart).toMatch(/requests already\s+under way/);
    expect(quickStart).toMatch(/```sh\nnpx keyward admin grant \w+\n```/);
    expect(quickStart).toMatch(/ADMIN_USERNAMES=/);
  });

  it('shows the CLI run outside Docker with the server environment', () => {
    const withEnv = codeLines('docs/operations.md').filter((l) => /^(DATA_DIR|MONGODB_URI)=\S+ .*npx keyward /.test(l) || /\.env; set \+a; npx keyward /.test(l));
    expect(withEnv.length).toBeGreaterThanOrEqual(2);
  });

  it('gives no command to copy that calls a bare keyward', () => {
    const bare = docs.flatMap((file) => codeLines(file).filter((l) => /^\s*(\$\s+)?keyward\s/.test(l)).map((l) => `${file}: ${l}`));
    expect(bare).toEqual([]);
  });
});
