// LDAP_* settings: their names and checks (merged into config.ts's schema, which alone reads
// the environment) and the typed DirectoryConfig the directory modules receive.
import { z } from 'zod';
import { DIRECTORY_PRESETS, type DirectoryImplementation } from './directoryPresets.js';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const text = z.string().trim().min(1);
// "{username}" / "{dn}" are where the escaped value goes (server/directory/ldapFilter.ts).
const filterTemplate = (placeholder: string) =>
  text.refine((f) => f.startsWith('(') && f.endsWith(')') && f.includes(placeholder), `must be an LDAP filter in parentheses containing ${placeholder}`);

export const LDAP_ENV = {
  // Several, comma-separated: tried in order, the next when one does not answer.
  LDAP_URL: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^ldaps?:\/\/[^/?#\s]+\/?$/, 'each entry must be ldap://host[:port] or ldaps://host[:port]')).min(1))
    .optional(),
  LDAP_IMPLEMENTATION: z.enum(['custom', 'activedirectory', 'freeipa', 'lldap']).default('custom'),
  LDAP_START_TLS: bool.default(false),
  LDAP_TLS_CA_FILE: text.optional(),
  LDAP_BIND_DN: text.optional(),
  LDAP_BIND_PASSWORD: z.string().min(1).optional(),
  LDAP_USER_BASE: text.optional(),
  LDAP_USER_FILTER: filterTemplate('{username}').optional(),
  LDAP_GROUP_BASE: text.optional(),
  LDAP_GROUP_FILTER: filterTemplate('{dn}').optional(),
  LDAP_USERNAME_ATTRIBUTE: text.optional(),
  LDAP_DISPLAY_NAME_ATTRIBUTE: text.optional(),
  LDAP_MAIL_ATTRIBUTE: text.optional(),
  LDAP_ID_ATTRIBUTE: text.optional(),
  LDAP_GROUP_NAME_ATTRIBUTE: text.optional(),
  // Groups that are members of a person's groups count too, searched level by level.
  LDAP_NESTED_GROUPS: bool.default(false),
  LDAP_POOL_SIZE: z.coerce.number().int().min(1).max(256).default(8),
  LDAP_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  // Directory people change their password in the directory (RFC 3062) through Keyward, or
  // are sent to LDAP_PASSWORD_HELP_URL.
  LDAP_PASSWORD_CHANGE: bool.default(false),
  LDAP_PASSWORD_HELP_URL: z.url({ protocol: /^https?$/ }).optional(),
};

type LdapEnv = z.output<z.ZodObject<typeof LDAP_ENV>>;

export interface DirectoryConfig {
  implementation: DirectoryImplementation;
  urls: string[];
  startTls: boolean;
  /** PEM file of the CA(s) that sign the directory's certificate; system CAs when unset. */
  caFile: string | undefined;
  bindDn: string;
  bindPassword: string;
  userBase: string;
  userFilter: string;
  groupBase: string;
  /** Empty for Active Directory, whose groups are read from the person's memberOf. */
  groupFilter: string;
  usernameAttribute: string;
  displayNameAttribute: string;
  mailAttribute: string;
  /** The stable id Keyward's account record is keyed by (entryUUID, objectGUID, ipaUniqueID). */
  idAttribute: string;
  groupNameAttribute: string;
  groupsFromMemberOf: boolean;
  /** Also the groups a person's groups are members of (LDAP_NESTED_GROUPS; a group search only). */
  nestedGroups: boolean;
  poolSize: number;
  timeoutMs: number;
  passwordChange: boolean;
  passwordHelpUrl: string | undefined;
}

/** The directory settings, undefined without LDAP_URL, or a problem to report. */
export function directoryConfig(e: LdapEnv): DirectoryConfig | undefined | string {
  if (!e.LDAP_URL) return undefined;
  const missing = (['LDAP_BIND_DN', 'LDAP_BIND_PASSWORD', 'LDAP_USER_BASE'] as const).filter((k) => !e[k]);
  if (missing.length) return `${missing.join(', ')}: required with LDAP_URL`;
  const preset = DIRECTORY_PRESETS[e.LDAP_IMPLEMENTATION];
  const groupsFromMemberOf = preset.groupsFromMemberOf && !e.LDAP_GROUP_FILTER;
  if (!groupsFromMemberOf && !e.LDAP_GROUP_BASE) return 'LDAP_GROUP_BASE: required with LDAP_URL (where the groups are searched)';
  if (groupsFromMemberOf && e.LDAP_NESTED_GROUPS) return 'LDAP_NESTED_GROUPS: needs a group search (LDAP_GROUP_FILTER); for Active Directory use its transitive rule in LDAP_GROUP_FILTER instead';
  return {
    implementation: e.LDAP_IMPLEMENTATION,
    urls: e.LDAP_URL.map((u) => u.replace(/\/$/, '')),
    startTls: e.LDAP_START_TLS,
    caFile: e.LDAP_TLS_CA_FILE,
    bindDn: e.LDAP_BIND_DN!,
    bindPassword: e.LDAP_BIND_PASSWORD!,
    userBase: e.LDAP_USER_BASE!,
    userFilter: e.LDAP_USER_FILTER ?? preset.userFilter,
    groupBase: e.LDAP_GROUP_BASE ?? e.LDAP_USER_BASE!,
    groupFilter: groupsFromMemberOf ? '' : (e.LDAP_GROUP_FILTER ?? preset.groupFilter),
    usernameAttribute: e.LDAP_USERNAME_ATTRIBUTE ?? preset.usernameAttribute,
    displayNameAttribute: e.LDAP_DISPLAY_NAME_ATTRIBUTE ?? preset.displayNameAttribute,
    mailAttribute: e.LDAP_MAIL_ATTRIBUTE ?? preset.mailAttribute,
    idAttribute: e.LDAP_ID_ATTRIBUTE ?? preset.idAttribute,
    groupNameAttribute: e.LDAP_GROUP_NAME_ATTRIBUTE ?? 'cn',
    groupsFromMemberOf,
    nestedGroups: e.LDAP_NESTED_GROUPS,
    poolSize: e.LDAP_POOL_SIZE,
    timeoutMs: e.LDAP_TIMEOUT_MS,
    passwordChange: e.LDAP_PASSWORD_CHANGE,
    passwordHelpUrl: e.LDAP_PASSWORD_HELP_URL,
  };
}
