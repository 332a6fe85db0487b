// The access-rules file (ACCESS_RULES_FILE), Authelia's `access_control` made ours: YAML,
// validated whole, so a bad rule is named (its index and field) before anything uses it.
import { isIP } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { mentionsQuestionMark, ruleRegexProblem } from './ruleRegex.js';

export const POLICIES = ['deny', 'bypass', 'one_factor', 'two_factor', 'hardware_key'] as const;
export type Policy = (typeof POLICIES)[number];

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const domain = z
  .string()
  .transform((d) => d.toLowerCase())
  .refine((d) => {
    const host = d.startsWith('*.') ? d.slice(2) : d;
    return host.split('.').every((l) => LABEL.test(l));
  }, 'must be a host name (app.example.com) or a wildcard (*.example.com)');

const pattern = z.string().superRefine((r, ctx) => {
  const problem = ruleRegexProblem(r);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
// Resources see the normalised path alone (normalizeRequestPath.ts), never its query.
const resource = pattern.refine((r) => !mentionsQuestionMark(r), 'matches a literal "?", but resources see the path without its query: put the query part in `query`');

const network = z.string().refine((n) => {
  const [address, bits, ...rest] = n.split('/');
  const family = isIP(address ?? '');
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d{1,3}$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
}, 'must be an IP address or a CIDR range (10.0.0.0/8, 2001:db8::/32)');

const subjectName = z.string().regex(/^(user|group):[^\s,]{1,64}$/, 'must be user:<name> or group:<name>');
// "group:a" | ["group:a", "user:b"] (any of) | [["group:a", "group:b"], "user:c"] (an inner list: all of).
const subject = z.union([subjectName.transform((s) => [[s]]), z.array(z.union([subjectName.transform((s) => [s]), z.array(subjectName).min(1)])).min(1)]);

const method = z.string().transform((m) => m.toUpperCase()).pipe(z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE']));

export const ruleSchema = z.strictObject({
  domain: oneOrMany(domain),
  resources: oneOrMany(resource).optional(),
  query: oneOrMany(pattern).optional(),
  methods: oneOrMany(method).optional(),
  networks: oneOrMany(network).optional(),
  subject: subject.optional(),
  policy: z.enum(POLICIES),
});

export const ruleFileSchema = z.strictObject({
  default_policy: z.enum(POLICIES).default('deny'),
  rules: z.array(ruleSchema).default([]),
});

export type RuleFile = z.output<typeof ruleFileSchema>;
export type Rule = z.output<typeof ruleSchema>;

export class RuleFileError extends Error {
  override name = 'RuleFileError';
}

/** Parses and validates the file's text; throws RuleFileError naming every problem (rules.3.networks.0: …). */
export function parseRuleFile(text: string, source: string): RuleFile {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new RuleFileError(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  const parsed = ruleFileSchema.safeParse(doc ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new RuleFileError(`${source}: invalid access rules:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
