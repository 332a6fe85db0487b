// Words that read as finished: a message under a heading does not say the heading again, and a
// key or app never used reads as such (not "last used never").
import { describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/en.js';
import { de } from '../../client/src/i18n/de.js';

describe.each([
  ['en', en],
  ['de', de],
] as const)('the %s catalogue', (_lang, m) => {
  const catalogue = m as Record<string, string>;

  it('never repeats a heading at the start of the text under it', () => {
    const repeats = Object.keys(catalogue)
      .filter((key) => key.endsWith('Title') && catalogue[key.slice(0, -'Title'.length)] !== undefined)
      .filter((key) => catalogue[key.slice(0, -'Title'.length)]!.toLowerCase().startsWith(catalogue[key]!.toLowerCase()));
    expect(repeats).toEqual([]);
  });

  it('says a key never used is not used yet, on one line', () => {
    // Joined by no-break spaces: the words after the dot stay together.
    expect(catalogue['common.addedNeverUsed']).toMatch(/ · [^ ]+$/);
    expect(Object.values(catalogue).join('\n')).not.toMatch(/last used never|zuletzt benutzt nie/);
  });
});
