/**
 * The moderation policy: a versioned JSON file the user can read. The strict
 * default ships in assets/safety/policy.json; a user's `safety-policy.json` in
 * the config folder may change thresholds and add word lists, allowed phrases
 * and rules (never loosen the locked minors category). docs/safety.md
 * explains every field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { formatJsonPath, inputError } from '../common/errors.js';
import { jsonErrorPosition } from '../util/json-error-position.js';
import { sha256Hex } from '../util/hash.js';
import { assetPath, configDir } from '../util/paths.js';
import { compilePattern, type CompiledPattern } from './text-match.js';

export const CATEGORY_IDS = ['sexual', 'minors', 'violence', 'self-harm', 'hate', 'public-figure', 'likeness'] as const;
export type PolicyCategoryId = (typeof CATEGORY_IDS)[number];
/** Policy categories, plus `rights` (rights-holder opt-outs) and `consent` (cameo grants, engine/cameo). */
export type CategoryId = PolicyCategoryId | 'rights' | 'consent';
export type Outcome = 'allow' | 'warn' | 'block';

const score = z.number().min(0).max(2);
const outcome = z.enum(['allow', 'warn', 'block']);

const CategorySchema = z
  .object({
    label: z.string().min(1).max(80),
    warnAt: score,
    blockAt: score,
    locked: z.boolean().optional(),
    proceed: z.string().min(1).max(400),
  })
  .strict();

const RuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+\.[a-z0-9.-]+$/, 'a rule id is category.name'),
    category: z.enum(CATEGORY_IDS),
    score: score,
    about: z.string().max(400).default(''),
    any: z.array(z.string().min(1)).min(1).optional(),
    all: z
      .array(z.array(z.string().min(1)).min(1))
      .min(2)
      .optional(),
    within: z.number().int().positive().max(100).default(12),
    unless: z.array(z.string().min(1)).optional(),
    negatable: z.boolean().default(true),
  })
  .strict()
  .refine((r) => !!r.any !== !!r.all, 'a rule has either `any` or `all`');

const AllowSchema = z
  .object({ id: z.string().min(1).max(80), about: z.string().max(400).default(''), patterns: z.array(z.string().min(1)).min(1) })
  .strict();

const FramesSchema = z
  .object({
    about: z.string().max(400).optional(),
    fps: z.number().positive().max(30).default(2),
    unknownFace: outcome.default('allow'),
    cameoWithoutGrant: outcome.default('block'),
    unchecked: z.array(z.enum(CATEGORY_IDS)).default([]),
  })
  .strict();

export const PolicyFileSchema = z
  .object({
    format: z.literal('klappe-safety-policy/1'),
    version: z.string().min(1).max(80),
    name: z.string().max(120).default(''),
    about: z.string().max(2000).optional(),
    negation: z
      .object({ about: z.string().optional(), words: z.array(z.string().min(1)), window: z.number().int().min(0).max(10) })
      .strict(),
    categories: z.object(
      Object.fromEntries(CATEGORY_IDS.map((c) => [c, CategorySchema])) as Record<PolicyCategoryId, typeof CategorySchema>,
    ),
    lists: z.record(z.string(), z.array(z.string().min(1))),
    allow: z.array(AllowSchema),
    rules: z.array(RuleSchema),
    frames: FramesSchema,
  })
  .strict();

/** What a user's safety-policy.json may hold: changes over the default. */
export const PolicyOverrideSchema = z
  .object({
    about: z.string().max(2000).optional(),
    version: z.string().min(1).max(80).optional(),
    categories: z
      .partialRecord(
        z.enum(CATEGORY_IDS),
        z.object({ warnAt: score.optional(), blockAt: score.optional(), proceed: z.string().max(400).optional() }).strict(),
      )
      .optional(),
    lists: z.record(z.string(), z.array(z.string().min(1))).optional(),
    allow: z.array(AllowSchema).optional(),
    rules: z.array(RuleSchema).optional(),
    frames: FramesSchema.partial().optional(),
  })
  .strict();

export type PolicyFile = z.output<typeof PolicyFileSchema>;
export type PolicyRule = z.output<typeof RuleSchema>;
export type PolicyCategory = z.output<typeof CategorySchema>;

export interface CompiledRule extends PolicyRule {
  anyPatterns: CompiledPattern[];
  allPatterns: CompiledPattern[][];
  unlessPatterns: CompiledPattern[];
}

export interface Policy {
  /** The version the decision log records: the file's, plus the user's changes (`+user-<sha256>`). */
  version: string;
  name: string;
  /** Files it was read from, default first. */
  sources: string[];
  file: PolicyFile;
  negation: Set<string>;
  negationWindow: number;
  allow: Array<{ id: string; patterns: CompiledPattern[] }>;
  rules: CompiledRule[];
}

export function defaultPolicyPath(): string {
  return assetPath('safety', 'policy.json');
}

export function userPolicyPath(): string {
  return join(configDir(), 'safety-policy.json');
}

function readJson(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    const where = jsonErrorPosition(text);
    throw inputError('POLICY_INVALID', `${file}${where ? `:${where.line}:${where.column}` : ''}: not JSON: ${(e as Error).message}`, {
      file,
      hint: 'Fix the JSON (docs/safety.md shows the format), or move the file away to use the default policy.',
    });
  }
}

function parseWith<T extends z.ZodType>(schema: T, value: unknown, file: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = formatJsonPath(issue.path);
    throw inputError('POLICY_INVALID', `${file}: ${path}: ${issue.message}`, {
      file,
      path,
      hint: 'docs/safety.md shows the format of the policy file.',
      issues: r.error.issues.map((i) => ({ path: formatJsonPath(i.path), message: i.message })),
    });
  }
  return r.data;
}

/** Applies a user's changes to the default; a change that loosens a locked category is refused. */
export function mergePolicy(base: PolicyFile, override: z.output<typeof PolicyOverrideSchema>, file: string): PolicyFile {
  const categories = { ...base.categories };
  for (const [id, change] of Object.entries(override.categories ?? {}) as Array<[PolicyCategoryId, Partial<PolicyCategory>]>) {
    const was = base.categories[id];
    if (was.locked && ((change.blockAt ?? was.blockAt) > was.blockAt || (change.warnAt ?? was.warnAt) > was.warnAt))
      throw inputError(
        'POLICY_LOCKED',
        `${file}: categories.${id}: the ${was.label} category is locked; it can be made stricter, not looser`,
        {
          file,
          path: `categories.${id}`,
          hint: `Remove categories.${id} from ${file}, or lower its thresholds.`,
        },
      );
    categories[id] = { ...was, ...change };
  }
  const lists = { ...base.lists };
  for (const [k, v] of Object.entries(override.lists ?? {})) lists[k] = [...(lists[k] ?? []), ...v];
  return {
    ...base,
    version: override.version ?? base.version,
    categories,
    lists,
    allow: [...base.allow, ...(override.allow ?? [])],
    rules: [...base.rules, ...(override.rules ?? [])],
    frames: { ...base.frames, ...override.frames },
  };
}

/** Compiles every pattern (a bad one is an error naming its rule and file). */
export function compilePolicy(file: PolicyFile, sources: string[], version = file.version): Policy {
  const where = sources[sources.length - 1]!;
  const compile = (p: string, path: string) => {
    try {
      return compilePattern(p, file.lists);
    } catch (e) {
      throw inputError('POLICY_INVALID', `${where}: ${path}: ${(e as Error).message}`, { file: where, path });
    }
  };
  for (const [k, list] of Object.entries(file.lists)) list.forEach((p, i) => compile(p, `lists.${k}[${i}]`));
  return {
    version,
    name: file.name,
    sources,
    file,
    negation: new Set(file.negation.words.map((w) => w.toLowerCase())),
    negationWindow: file.negation.window,
    allow: file.allow.map((a) => ({ id: a.id, patterns: a.patterns.map((p, i) => compile(p, `allow.${a.id}.patterns[${i}]`)) })),
    rules: file.rules.map((r) => ({
      ...r,
      anyPatterns: (r.any ?? []).map((p, i) => compile(p, `rules.${r.id}.any[${i}]`)),
      allPatterns: (r.all ?? []).map((group, g) => group.map((p, i) => compile(p, `rules.${r.id}.all[${g}][${i}]`))),
      unlessPatterns: (r.unless ?? []).map((p, i) => compile(p, `rules.${r.id}.unless[${i}]`)),
    })),
  };
}

const cache = new Map<string, Policy>();

/**
 * The policy in force: the shipped default with the user's changes (when
 * `safety-policy.json` exists in the config folder). Read once per content.
 */
export function loadPolicy(opts: { defaultFile?: string; userFile?: string | null } = {}): Policy {
  const defaultFile = opts.defaultFile ?? defaultPolicyPath();
  const userFile = opts.userFile === null ? undefined : (opts.userFile ?? userPolicyPath());
  const baseText = readFileSync(defaultFile, 'utf8');
  const userText = userFile && existsSync(userFile) ? readFileSync(userFile, 'utf8') : undefined;
  const key = sha256Hex(`${defaultFile}\n${baseText}\n${userText ?? ''}`);
  const hit = cache.get(key);
  if (hit) return hit;
  const base = parseWith(PolicyFileSchema, readJson(defaultFile), defaultFile);
  let policy: Policy;
  if (userText !== undefined && userFile) {
    const override = parseWith(PolicyOverrideSchema, readJson(userFile), userFile);
    const merged = mergePolicy(base, override, userFile);
    policy = compilePolicy(merged, [defaultFile, userFile], `${merged.version}+user-${sha256Hex(userText).slice(0, 8)}`);
  } else policy = compilePolicy(base, [defaultFile]);
  cache.set(key, policy);
  return policy;
}

/** The outcome a score reaches in a category. */
export function outcomeFor(category: PolicyCategory, s: number): Outcome {
  return s >= category.blockAt ? 'block' : s >= category.warnAt ? 'warn' : 'allow';
}
