/**
 * The safety checks callers run: a text (klappe safety check-prompt), a
 * shot's prompt, action and dialogue before its generation (the generation
 * gate: `checkShotSafety`), reference images against opt-out lists. Each
 * check writes a decision-log entry; a block is a SAFETY_BLOCKED error that
 * names the rule and says how to proceed.
 */
import { existsSync } from 'node:fs';
import { KlappeError } from '../common/errors.js';
import { withLines } from '../model/lines.js';
import { findShot } from '../model/lookup.js';
import type { Project } from '../model/schema.js';
import { DecisionLog, type DecisionSubject } from './decision-log.js';
import { moderateText, severity, worst, type OptoutMatcher, type Verdict } from './moderate.js';
import { loadOptouts, matchOptoutImage, type LoadedOptouts } from './optouts.js';
import { CATEGORY_IDS, loadPolicy, type Outcome, type Policy } from './policy.js';
import type { SafetyFieldView, SafetyPolicyView, ShotSafetyView } from '../common/safety-view.js';

export interface SafetyContext {
  policy?: Policy;
  log?: DecisionLog;
  optouts?: LoadedOptouts;
}

interface Resolved {
  policy: Policy;
  log: DecisionLog;
  optouts: OptoutMatcher[];
  loaded?: LoadedOptouts;
}

async function resolveContext(ctx: SafetyContext): Promise<Resolved> {
  const loaded = ctx.optouts ?? (await loadOptouts());
  return { policy: ctx.policy ?? loadPolicy(), log: ctx.log ?? new DecisionLog(), optouts: loaded.matchers, loaded };
}

/** Moderates one text and logs it. */
export function checkTextWith(
  text: string,
  r: { policy: Policy; log: DecisionLog; optouts: readonly OptoutMatcher[] },
  where: { subject: DecisionSubject; ref?: string },
): Verdict {
  const v = moderateText(text, r.policy, r.optouts);
  r.log.record({
    subject: where.subject,
    ...(where.ref ? { ref: where.ref } : {}),
    excerpt: text,
    checker: `rules ${r.policy.name}`,
    ...(v.rule ? { rule: v.rule, category: v.category } : {}),
    score: v.score,
    outcome: v.outcome,
    reason: v.outcome === 'allow' ? (v.allowed.length ? `allowed phrases: ${v.allowed.join(', ')}` : 'no rule fired') : v.message,
    policyVersion: v.policyVersion,
  });
  return v;
}

/** `klappe safety check-prompt`: moderates a text, logs the decision. */
export async function checkPrompt(text: string, ctx: SafetyContext = {}, ref?: string): Promise<Verdict> {
  return checkTextWith(text, await resolveContext(ctx), { subject: 'prompt', ...(ref ? { ref } : {}) });
}

export interface FieldVerdict {
  /** prompt | action | line LINE_ID | reference FILE */
  field: string;
  text: string;
  verdict: Verdict;
}

export interface ShotSafety {
  shotId: string;
  outcome: Outcome;
  /** The most severe field's verdict (its rule, message, how to proceed); absent when all is allowed. */
  decisive?: FieldVerdict;
  fields: FieldVerdict[];
  policyVersion: string;
}

/** The texts of a shot a generation uses: prompt, action, and the lines its take speaks. */
export function shotTexts(doc: Project, shotId: string): Array<{ field: string; subject: DecisionSubject; text: string }> {
  const loc = findShot(doc, shotId);
  if (!loc) return [];
  const shot = withLines(doc, loc.scene.shots)[loc.shotIndex]!;
  const out: Array<{ field: string; subject: DecisionSubject; text: string }> = [];
  if (shot.prompt.trim()) out.push({ field: 'prompt', subject: 'shot', text: shot.prompt });
  if (shot.action.trim()) out.push({ field: 'action', subject: 'shot', text: shot.action });
  shot.dialogue.forEach((l, i) => {
    if (l.text.trim()) out.push({ field: `line ${i + 1}`, subject: 'dialogue', text: l.text });
  });
  return out;
}

function summarize(shotId: string, fields: FieldVerdict[], policyVersion: string): ShotSafety {
  let outcome: Outcome = 'allow';
  let decisive: FieldVerdict | undefined;
  for (const f of fields) {
    outcome = worst(outcome, f.verdict.outcome);
    if (f.verdict.outcome !== 'allow' && (!decisive || severity(f.verdict.outcome) > severity(decisive.verdict.outcome))) decisive = f;
  }
  return { shotId, outcome, ...(decisive ? { decisive } : {}), fields, policyVersion };
}

/**
 * What the policy says about a shot's texts now, without logging: the shot
 * inspector's live view. The generation gate (`checkShotSafety`) decides and logs.
 */
export async function previewShotSafety(doc: Project, shotId: string, ctx: SafetyContext = {}): Promise<ShotSafety> {
  const policy = ctx.policy ?? loadPolicy();
  const optouts = (ctx.optouts ?? (await loadOptouts())).matchers;
  const fields = shotTexts(doc, shotId).map((t) => ({ field: t.field, text: t.text, verdict: moderateText(t.text, policy, optouts) }));
  return summarize(shotId, fields, policy.version);
}

/** The error a blocked shot's job fails with: the rule, the words, how to proceed. */
export function blockedError(s: ShotSafety, what: string): KlappeError {
  const d = s.decisive!;
  return new KlappeError({
    code: 'SAFETY_BLOCKED',
    kind: 'input',
    message: `${what}: ${d.field}: ${d.verdict.message}`,
    path: d.field,
    hint: `${d.verdict.proceed ?? ''} (policy ${s.policyVersion}; klappe safety log lists the decision)`.trim(),
  });
}

/**
 * The generation gate's safety check: the shot's prompt, action and dialogue
 * (and reference images, against the opt-out lists) are moderated and logged;
 * a block throws SAFETY_BLOCKED. Warnings pass (they are in the log).
 */
export async function checkShotSafety(
  doc: Project,
  shotId: string,
  opts: { projectFile?: string; references?: string[] } & SafetyContext = {},
): Promise<ShotSafety> {
  const r = await resolveContext(opts);
  const ref = `${opts.projectFile ?? doc.name}#shot ${shotId}`;
  const fields: FieldVerdict[] = shotTexts(doc, shotId).map((t) => ({
    field: t.field,
    text: t.text,
    verdict: checkTextWith(t.text, r, { subject: t.subject, ref: `${ref} ${t.field}` }),
  }));
  for (const file of opts.references ?? []) fields.push(await checkReferenceWith(file, r, ref));
  const s = summarize(shotId, fields, r.policy.version);
  if (s.outcome === 'block') {
    const loc = findShot(doc, shotId);
    throw blockedError(s, `shot ${loc ? `${loc.scene.number}/${loc.shot.number}` : shotId}`);
  }
  return s;
}

async function checkReferenceWith(file: string, r: Resolved, ref: string): Promise<FieldVerdict> {
  const hit = r.loaded ? await matchOptoutImage(file, r.loaded) : undefined;
  const verdict: Verdict = hit
    ? {
        outcome: 'block',
        rule: `optout.${hit.listId}`,
        category: 'rights',
        score: 1,
        message: `Blocked by rule optout.${hit.listId} (Rights-holder opt-out): the reference image looks like "${hit.name}" (${hit.distance} of 64 bits differ). ${hit.holder} has opted out of its use.`,
        proceed: `Use another reference image; ask ${hit.holder} for permission to use "${hit.name}".`,
        hits: [],
        allowed: [],
        policyVersion: r.policy.version,
      }
    : { outcome: 'allow', score: 0, message: 'allowed', hits: [], allowed: [], policyVersion: r.policy.version };
  r.log.record({
    subject: 'reference',
    ref: `${ref} ${file}`,
    excerpt: file,
    checker: 'opt-out images (sha256, dHash)',
    ...(verdict.rule ? { rule: verdict.rule, category: 'rights' } : {}),
    score: hit ? 1 - hit.distance / 64 : 0,
    outcome: verdict.outcome,
    reason: hit
      ? verdict.message
      : `no opt-out image within ${r.loaded?.images.length ? 'the match distance' : 'the lists (none has images)'}`,
    policyVersion: r.policy.version,
  });
  return { field: `reference ${file}`, text: file, verdict };
}

/** The reference images of a shot request that are files (first and last frame, images). */
export function referenceFiles(refs: { firstFrame?: string; lastFrame?: string; images?: string[] }): string[] {
  return [refs.firstFrame, refs.lastFrame, ...(refs.images ?? [])].filter((f): f is string => !!f && existsSync(f));
}

/** A shot's verdict as the studio shows it. */
export function shotSafetyView(s: ShotSafety): ShotSafetyView {
  const view = (f: FieldVerdict): SafetyFieldView => ({
    field: f.field,
    outcome: f.verdict.outcome,
    ...(f.verdict.rule ? { rule: f.verdict.rule } : {}),
    ...(f.verdict.category ? { category: f.verdict.category } : {}),
    message: f.verdict.message,
    ...(f.verdict.proceed ? { proceed: f.verdict.proceed } : {}),
  });
  return {
    shotId: s.shotId,
    outcome: s.outcome,
    ...(s.decisive ? { decisive: view(s.decisive) } : {}),
    flagged: s.fields.filter((f) => f.verdict.outcome !== 'allow').map(view),
    policyVersion: s.policyVersion,
  };
}

/** The policy and the opt-out lists as the studio shows them. */
export async function safetyPolicyView(policy: Policy = loadPolicy(), optouts?: LoadedOptouts): Promise<SafetyPolicyView> {
  const loaded = optouts ?? (await loadOptouts());
  return {
    version: policy.version,
    name: policy.name,
    sources: policy.sources,
    categories: CATEGORY_IDS.map((id) => {
      const c = policy.file.categories[id];
      return { id, label: c.label, warnAt: c.warnAt, blockAt: c.blockAt, locked: !!c.locked, proceed: c.proceed };
    }),
    framesUnchecked: policy.file.frames.unchecked,
    optouts: loaded.lists.map((l) => ({
      id: l.list.id,
      holder: l.list.holder,
      version: l.list.version,
      entries: l.list.entries.length,
      signer: l.signer.subject,
    })),
    optoutsRefused: loaded.refused,
  };
}

/**
 * A line about to be spoken (line.add, line.speak, `klappe line`): moderated
 * and logged as dialogue; a block throws SAFETY_BLOCKED before any speech is made.
 */
export async function checkSpokenLine(text: string, opts: { ref?: string; path?: string } & SafetyContext = {}): Promise<Verdict> {
  const r = await resolveContext(opts);
  const v = checkTextWith(text, r, { subject: 'dialogue', ...(opts.ref ? { ref: opts.ref } : {}) });
  if (v.outcome === 'block')
    throw new KlappeError({
      code: 'SAFETY_BLOCKED',
      kind: 'input',
      message: `the line: ${v.message}`,
      ...(opts.path ? { path: opts.path } : {}),
      hint: `${v.proceed ?? ''} (policy ${v.policyVersion}; klappe safety log lists the decision)`.trim(),
    });
  return v;
}
