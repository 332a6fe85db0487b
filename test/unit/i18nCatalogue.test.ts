// The message catalogue: both languages complete, every key the pages use present, every
// message valid ICU with the same placeholders in each language, every server error worded.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/en.js';
import { de } from '../../client/src/i18n/de.js';
import { describedErrorCodes } from '../../client/src/messages.js';
import { ERROR_STATUS } from '../../server/errors.js';

type Catalogue = Record<string, string>;
const CLIENT_SRC = join(import.meta.dirname, '..', '..', 'client', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'i18n' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every quoted 'namespace.rest' in the client whose namespace is one the catalogue uses. */
function keysUsedInSource(namespaces: Set<string>): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of sourceFiles(CLIENT_SRC)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/'([a-z]+)\.([A-Za-z_.]+)'/g)) {
      if (namespaces.has(m[1] as string)) used.set(`${m[1]}.${m[2]}`, file);
    }
  }
  return used;
}

/** Placeholder names of an ICU message, sorted. */
function argumentsOf(message: string, locale: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: unknown[]) => {
    for (const n of nodes as { value?: unknown; options?: Record<string, { value: unknown[] }> ; type: number }[]) {
      if (n.type !== 0 && n.type !== 7 && typeof n.value === 'string') names.add(n.value);
      for (const o of Object.values(n.options ?? {})) walk(o.value);
    }
  };
  walk(new IntlMessageFormat(message, locale).getAst());
  return [...names].sort();
}

function catalogueProblems(catalogues: Record<string, Catalogue>, used: Iterable<string>): string[] {
  const problems: string[] = [];
  const all = new Set(Object.values(catalogues).flatMap((c) => Object.keys(c)));
  for (const [lang, c] of Object.entries(catalogues)) {
    for (const key of all) if (!(key in c)) problems.push(`${lang} lacks ${key}`);
  }
  for (const key of used) if (!(key in (catalogues['en'] ?? {}))) problems.push(`the source uses ${key}, which the catalogue lacks`);
  return problems;
}

describe('message catalogue', () => {
  const namespaces = new Set(Object.keys(en).map((k) => k.split('.')[0] as string));

  it('has every key in both English and German, and every key the source uses', () => {
    const used = keysUsedInSource(namespaces);
    expect(used.size).toBeGreaterThan(100);
    expect(catalogueProblems({ en, de }, used.keys())).toEqual([]);
  });

  it('reports a key missing in one language, and a key the source uses that nobody wrote', () => {
    const { ['signin.title']: _dropped, ...partial } = de;
    expect(catalogueProblems({ en, de: partial }, ['signin.title', 'signin.nonexistent'])).toEqual([
      'de lacks signin.title',
      'the source uses signin.nonexistent, which the catalogue lacks',
    ]);
  });

  it('parses every message as ICU, with the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect({ key, args: argumentsOf(de[key], 'de') }).toEqual({ key, args: argumentsOf(en[key], 'en') });
    }
  });

  it('uses each language’s plural rules', () => {
    const fmt = (lang: 'en' | 'de', n: number) => new IntlMessageFormat(lang === 'en' ? en['verify.recovery.low'] : de['verify.recovery.low'], lang).format({ remaining: n });
    expect(fmt('en', 1)).toContain('1 recovery code left');
    expect(fmt('en', 2)).toContain('2 recovery codes left');
    expect(fmt('de', 1)).toContain('1 Wiederherstellungscode übrig');
    expect(fmt('de', 0)).toContain('keine Wiederherstellungscodes');
  });

  it('words every error code the server can answer with, in both languages', () => {
    const described = new Set(describedErrorCodes());
    for (const code of Object.keys(ERROR_STATUS)) {
      expect(described, code).toContain(code);
      if (code !== 'too_many_attempts') expect(Object.keys(en), code).toContain(`error.${code}`);
    }
  });
});
