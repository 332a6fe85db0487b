// The deployment files are part of the product: docker-compose.yml and the Dockerfile
// must keep the promises the README makes about them.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  environment?: string[] | Record<string, string | number | boolean | null>;
}

interface ComposeFile {
  services?: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(read('docker-compose.yml')) as ComposeFile;

function service(name: string): Service {
  const s = compose.services?.[name];
  if (!isObj(s)) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
}

const words = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(' ') : (v ?? ''));

/** The healthcheck command as one string, or '' when there is none (or it is disabled). */
function healthcheck(s: Service): string {
  if (!s.healthcheck || s.healthcheck.disable) return '';
  const test = s.healthcheck.test;
  if (Array.isArray(test) && test[0] === 'NONE') return '';
  return words(test);
}

/** Environment in either compose form (map or KEY=value list) as a map. */
function environment(s: Service): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const i = entry.indexOf('=');
        return i < 0 ? [entry, ''] : [entry.slice(0, i), entry.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function replicaSetName(s: Service): string | undefined {
  return /--replSet[=\s]+(\S+)/.exec(words(s.command))?.[1];
}

/** Dockerfile instructions (continuation lines joined, comments dropped), grouped by stage. */
function dockerfileStages(text: string): { instruction: string; args: string }[][] {
  const stages: { instruction: string; args: string }[][] = [];
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  for (const line of logical) {
    const m = /^(\w+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const instruction = m[1]!.toUpperCase();
    if (instruction === 'FROM') stages.push([]);
    stages.at(-1)?.push({ instruction, args: m[2]! });
  }
  return stages;
}

describe('docker-compose.yml', () => {
  it('defines a MongoDB service and a Keyward service', () => {
    expect(Object.keys(compose.services ?? {})).toEqual(expect.arrayContaining(['mongo', 'keyward']));
  });

  it('the compose file runs MongoDB as a replica set with a healthcheck', () => {
    const mongo = service('mongo');
    expect(mongo.image).toMatch(/^mongo:/);
    expect(replicaSetName(mongo)).toBeTruthy();
    // The healthcheck is what initiates the set on first start.
    expect(healthcheck(mongo)).toContain('rs.initiate');
  });

  it('keeps MongoDB data in a named volume', () => {
    const mongo = service('mongo');
    const named = Object.keys(compose.volumes ?? {});
    const dataVolume = (mongo.volumes ?? []).find((v) =>
      typeof v === 'string' ? v.split(':')[1] === '/data/db' : v.target === '/data/db',
    );
    expect(dataVolume, 'mongo mounts nothing at /data/db').toBeDefined();
    const source = typeof dataVolume === 'string' ? dataVolume.split(':')[0] : dataVolume?.source;
    expect(named).toContain(source);
  });

  it('builds Keyward from the Dockerfile and starts it only once MongoDB is healthy', () => {
    const keyward = service('keyward');
    const build = keyward.build;
    expect(build, 'keyward has no build section').toBeDefined();
    const context = typeof build === 'string' ? build : (build?.context ?? '.');
    const dockerfile = typeof build === 'string' ? 'Dockerfile' : (build?.dockerfile ?? 'Dockerfile');
    expect(existsSync(join(root, context, dockerfile))).toBe(true);

    const dependsOn = keyward.depends_on;
    expect(isObj(dependsOn), 'depends_on must use the long form to wait for health').toBe(true);
    expect((dependsOn as Record<string, { condition?: string }>)['mongo']?.condition).toBe('service_healthy');
  });

  it('checks that Keyward is ready, not just running', () => {
    expect(healthcheck(service('keyward'))).toContain('/readyz');
  });

  it('runs Keyward in production mode against the replica set', () => {
    const env = environment(service('keyward'));
    expect(env['NODE_ENV']).toBe('production');
    const uri = env['MONGODB_URI'] ?? '';
    expect(uri).toMatch(/^mongodb:\/\/mongo[:/]/);
    expect(new URL(uri).searchParams.get('replicaSet')).toBe(replicaSetName(service('mongo')));
  });

  it('takes SESSION_SECRETS and TOTP_ENCRYPTION_KEYS from the operator, never from a default in the file', () => {
    const env = environment(service('keyward'));
    for (const name of ['SESSION_SECRETS', 'TOTP_ENCRYPTION_KEYS']) {
      // Empty when unset; Keyward in production then refuses to start (test/unit/config.test.ts).
      expect(env[name], name).toMatch(new RegExp(`^\\$\\{${name}(:-)?\\}$`));
    }
  });

  it('sets only environment variables that server/config.ts reads', () => {
    const config = read('server/config.ts');
    const names = Object.keys(environment(service('keyward')));
    expect(names.length).toBeGreaterThan(0);
    const unknown = names.filter((name) => !new RegExp(`^\\s*${name}:`, 'm').test(config));
    expect(unknown, 'not keys of EnvSchema in server/config.ts').toEqual([]);
  });
});

describe('Dockerfile', () => {
  const stages = dockerfileStages(read('Dockerfile'));
  const all = stages.flat();
  const final = stages.at(-1) ?? [];

  it('installs dependencies reproducibly with npm ci', () => {
    expect(all.some((i) => i.instruction === 'RUN' && /\bnpm ci\b/.test(i.args))).toBe(true);
  });

  it('runs the server as a non-root user', () => {
    const user = final.filter((i) => i.instruction === 'USER').at(-1)?.args.trim();
    expect(user, 'the final stage sets no USER').toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('has a healthcheck', () => {
    const check = final.find((i) => i.instruction === 'HEALTHCHECK');
    expect(check, 'the final stage has no HEALTHCHECK').toBeDefined();
    expect(check?.args).not.toMatch(/^NONE\b/);
    expect(check?.args).toContain('/healthz');
  });

  it('starts dist/server/main.js', () => {
    const cmd = final.filter((i) => i.instruction === 'CMD').at(-1)?.args;
    expect(cmd).toContain('dist/server/main.js');
  });

  it('leaves host node_modules, build output and local data out of the build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim().replace(/^\/|\/$/g, ''));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', 'data', '.env']));
  });
});
