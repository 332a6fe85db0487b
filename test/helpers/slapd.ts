// Debian's OpenLDAP (slapd) as a real directory for a test: its own slapd.conf, database and
// port under a temp dir, loaded with slapadd from an LDIF of people and groups. Nothing
// system-wide is read or written (installed by scripts/test.sh: apt slapd ldap-utils).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild, waitUntilListening } from './childServer.js';
import { freePort } from './freePort.js';
import { makeTestCa, type TestCa } from './testCa.js';

export const SLAPD = '/usr/sbin/slapd';
export const BASE_DN = 'dc=example,dc=org';
export const SERVICE_DN = `cn=keyward,ou=services,${BASE_DN}`;
export const SERVICE_PASSWORD = 'service-secret-1';
const ROOT_DN = `cn=admin,${BASE_DN}`;
const ROOT_PASSWORD = 'root-secret-1';

export interface Person {
  uid: string;
  password: string;
  cn: string;
  mail?: string;
  groups?: string[];
}

export const PEOPLE: Person[] = [
  { uid: 'alice', password: 'alice-directory-pw', cn: 'Alice Liddell', mail: 'alice@example.org', groups: ['engineering', 'admins'] },
  { uid: 'bob', password: 'bob-directory-pw', cn: 'Bob Builder', mail: 'bob@example.org', groups: ['engineering'] },
  { uid: 'carol', password: 'carol-directory-pw', cn: 'Carol Danvers', groups: [] },
];

export interface Slapd {
  url: string;
  port: number;
  /** With tls: the CA that signed the server's certificate (PEM file path). */
  caFile: string | undefined;
  /** Settings pointing Keyward at this directory (LDAP_*). */
  env: Record<string, string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Runs ldapmodify as the directory's root on `ldif` (the operator changing the directory). */
  modify(ldif: string): void;
  setPassword(uid: string, password: string): void;
  remove(uid: string): void;
  dispose(): Promise<void>;
}

export const personDn = (uid: string) => `uid=${uid},ou=people,${BASE_DN}`;

function ldif(people: Person[]): string {
  const groups = [...new Set(people.flatMap((p) => p.groups ?? []))];
  const entries = [
    `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example`,
    `dn: ou=people,${BASE_DN}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ou=groups,${BASE_DN}\nobjectClass: organizationalUnit\nou: groups`,
    `dn: ou=services,${BASE_DN}\nobjectClass: organizationalUnit\nou: services`,
    `dn: ${SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: keyward\nuserPassword: ${SERVICE_PASSWORD}`,
    ...people.map(
      (p) =>
        `dn: ${personDn(p.uid)}\nobjectClass: inetOrgPerson\nuid: ${p.uid}\ncn: ${p.cn}\nsn: ${p.cn.split(' ').pop()}\nuserPassword: ${p.password}${p.mail ? `\nmail: ${p.mail}` : ''}`,
    ),
    ...groups.map(
      (g) =>
        `dn: cn=${g},ou=groups,${BASE_DN}\nobjectClass: groupOfNames\ncn: ${g}\n${people
          .filter((p) => p.groups?.includes(g))
          .map((p) => `member: ${personDn(p.uid)}`)
          .join('\n')}`,
    ),
  ];
  return `${entries.join('\n\n')}\n`;
}

export async function startSlapd(opts: { people?: Person[]; tls?: boolean } = {}): Promise<Slapd> {
  if (!existsSync(SLAPD)) throw new Error(`slapd not found at ${SLAPD}: install it with 'apt-get install -y slapd ldap-utils' (scripts/test.sh does).`);
  const dir = mkdtempSync(join(tmpdir(), 'keyward-slapd-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const ca: TestCa | undefined = opts.tls ? makeTestCa(dir) : undefined;
  const conf = `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
${ca ? `TLSCACertificateFile ${ca.caFile}\nTLSCertificateFile ${ca.certFile}\nTLSCertificateKeyFile ${ca.keyFile}\n` : ''}
database mdb
maxsize 67108864
suffix "${BASE_DN}"
rootdn "${ROOT_DN}"
rootpw ${ROOT_PASSWORD}
directory ${dataDir}
${ca ? 'security simple_bind=128\n' : ''}
access to attrs=userPassword
  by self write
  by anonymous auth
  by * none
access to *
  by dn.exact="${SERVICE_DN}" read
  by self read
  by * none
`;
  const confFile = join(dir, 'slapd.conf');
  writeFileSync(confFile, conf);
  writeFileSync(join(dir, 'data.ldif'), ldif(opts.people ?? PEOPLE));
  execFileSync('/usr/sbin/slapadd', ['-f', confFile, '-l', join(dir, 'data.ldif')], { stdio: 'pipe' });
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    // -d 0: stays in the foreground (a child we can stop), logging nothing.
    const c = spawn(SLAPD, ['-f', confFile, '-h', url, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    let stderr = '';
    c.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    await waitUntilListening(c, port, { name: 'slapd', output: () => stderr, withinMs: 15_000 });
  }

  async function stop(): Promise<void> {
    const c = child;
    child = null;
    if (c) await stopChild(c);
  }

  const ldapmodify = (text: string) =>
    execFileSync('/usr/bin/ldapmodify', ['-x', '-H', url, '-D', ROOT_DN, '-w', ROOT_PASSWORD], { input: text, stdio: ['pipe', 'pipe', 'pipe'] });

  await start();
  return {
    url,
    port,
    caFile: ca?.caFile,
    env: {
      LDAP_URL: url,
      LDAP_BIND_DN: SERVICE_DN,
      LDAP_BIND_PASSWORD: SERVICE_PASSWORD,
      LDAP_USER_BASE: `ou=people,${BASE_DN}`,
      LDAP_GROUP_BASE: `ou=groups,${BASE_DN}`,
      ...(ca && { LDAP_START_TLS: 'true', LDAP_TLS_CA_FILE: ca.caFile }),
    },
    start,
    stop,
    modify: (text) => void ldapmodify(text),
    setPassword: (uid, password) => void ldapmodify(`dn: ${personDn(uid)}\nchangetype: modify\nreplace: userPassword\nuserPassword: ${password}\n`),
    remove: (uid) => void ldapmodify(`dn: ${personDn(uid)}\nchangetype: delete\n`),
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
