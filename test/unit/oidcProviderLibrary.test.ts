// oidc-provider's "Unsupported runtime" warning on Node.js 20 is dropped where Keyward loads
// it (server/oidc/oidcProviderLibrary.ts), and no other warning is.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { withoutRuntimeWarning } from '../../server/oidc/oidcProviderLibrary.js';

const REPO = new URL('../..', import.meta.url).pathname;
const RUNTIME_WARNING = 'oidc-provider WARNING: Unsupported runtime. Use Node.js v22.x LTS, or a later LTS release.';

describe('loading oidc-provider', () => {
  const warn = console.warn;
  afterEach(() => {
    console.warn = warn;
  });

  it('prints no runtime warning when Keyward loads and creates the provider, and still prints the provider\'s other warnings', async () => {
    // A fresh process: a module is loaded once per process, and the warning comes at load.
    // The provider's builder loads it (as the server does at its first single sign-on); then a provider on the quick-start defaults, which
    // oidc-provider warns about (those warnings must still come out).
    const script = [
      "await import('./server/oidc/buildProvider.js');",
      "const { default: Provider } = await import('oidc-provider');",
      "new Provider('https://login.example.com/oidc', {});",
    ].join('\n');
    const { stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO });
    expect(stderr).not.toContain('Unsupported runtime');
    expect(stderr).toContain('oidc-provider WARNING: quick start development-only signing keys are used');
  });

  it('is not loaded with the server: a deployment that serves no single sign-on does not carry it', async () => {
    const hook = new URL('../helpers/reportOidcProviderLoad.mjs', import.meta.url).pathname;
    const run = (script: string) => promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', hook, '--input-type=module', '-e', script], { cwd: REPO });
    expect((await run("await import('./server/app.js');")).stderr).not.toContain('oidc-provider loaded');
    // The hook does see it when it is loaded (else the line above proves nothing).
    expect((await run("await import('./server/oidc/buildProvider.js');")).stderr).toContain('oidc-provider loaded');
  });

  it('drops only the runtime warning while loading, plain or coloured, and puts console.warn back', async () => {
    const printed: unknown[][] = [];
    const capture = (...args: unknown[]) => void printed.push(args);
    console.warn = capture;
    const loaded = await withoutRuntimeWarning(async () => {
      console.warn(RUNTIME_WARNING);
      console.warn(`\x1b[31;1m${RUNTIME_WARNING}\x1b[0m`);
      console.warn('oidc-provider WARNING: something else', 42);
      console.warn('another library', 'warning');
      return 'module';
    });
    expect(loaded).toBe('module');
    expect(printed).toEqual([['oidc-provider WARNING: something else', 42], ['another library', 'warning']]);
    expect(console.warn).toBe(capture);
  });

  it('puts console.warn back when loading fails', async () => {
    const capture = () => undefined;
    console.warn = capture;
    await expect(withoutRuntimeWarning(() => Promise.reject(new Error('no such module')))).rejects.toThrow('no such module');
    expect(console.warn).toBe(capture);
  });
});
