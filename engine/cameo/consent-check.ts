/**
 * Consent at generation and export: may the current identity put a cameo
 * into a video now? One decision per cameo (as data, for the safety decision
 * log), the cameos a shot uses (through its characters' `cameoRef`), and the
 * takes and export plan that use a cameo that is blocked.
 */
import type { ConsentDecision } from '../common/cameo-view.js';
import { KlappeError } from '../common/errors.js';
import { findShot } from '../model/lookup.js';
import type { Project } from '../model/schema.js';
import { currentIdentity, type IdentityRef } from './identity-ref.js';
import { CameoLibrary, type CameoEntry } from './library.js';

export interface ConsentContext {
  library: CameoLibrary;
  /** The current user's identity; undefined before one exists (then only cameos open to everyone are usable). */
  identity: IdentityRef | undefined;
  now?: Date;
}

let shared: CameoLibrary | undefined;
/** The library in the data folder, one instance per folder (it remembers which records it verified). */
export function defaultLibrary(): CameoLibrary {
  const dir = new CameoLibrary().dir;
  if (shared?.dir !== dir) shared = new CameoLibrary(dir);
  return shared;
}

/** The library in the data folder and the identity in the config folder. */
export function defaultConsentContext(): ConsentContext {
  return { library: defaultLibrary(), identity: currentIdentity() };
}

export function cameoDecision(
  entry: CameoEntry | undefined,
  cameoId: string,
  identity: IdentityRef | undefined,
  now = new Date(),
): ConsentDecision {
  const block = (rule: string, reason: string): ConsentDecision => ({ outcome: 'block', rule, reason, cameoId });
  const allow = (rule: string, reason: string): ConsentDecision => ({ outcome: 'allow', rule, reason, cameoId });
  if (!entry)
    return block(
      'cameo.unknown',
      `cameo ${cameoId} is not in this machine's cameo library, so its consent cannot be checked; import the record its owner sent (klappe cameo import FILE)`,
    );
  const b = entry.consent.body;
  const name = `${b.cameo.displayName} (${b.owner.name})`;
  if (b.deletedAt) return block('cameo.deleted', `${name} deleted this cameo on ${b.deletedAt}; it cannot be used again`);
  if (b.revokedAt) return block('cameo.revoked', `${name} revoked this cameo on ${b.revokedAt}; new generations with it are blocked`);
  if (b.expiresAt && new Date(b.expiresAt) <= now)
    return block('cameo.expired', `the consent for ${name} expired on ${b.expiresAt}; ask the owner to renew it`);
  if (identity?.id === b.owner.id) return allow('cameo.owner', `${b.cameo.displayName} is your own cameo`);
  if (b.permission === 'everyone') return allow('cameo.everyone', `${name} lets everyone use this cameo`);
  if (b.permission === 'approved' && identity && b.approved.some((a) => a.id === identity.id))
    return allow('cameo.approved', `${name} approved you (${identity.name}) on ${b.approved.find((a) => a.id === identity.id)!.grantedAt}`);
  return block(
    'cameo.not-approved',
    `${name} has not approved ${identity ? `you (${identity.name})` : 'this machine (no signing identity yet)'}; ask the owner for a grant and import the record they send`,
  );
}

/** Characters of a shot with a cameo: those in the frame, those who speak its lines, those on the scene's marks. */
export function cameosOfShot(doc: Project, shotId: string): Array<{ characterId: string; cameoId: string }> {
  const loc = findShot(doc, shotId);
  if (!loc) return [];
  const used = new Set<string>([
    ...loc.shot.characterIds,
    ...doc.lines.filter((l) => l.shotId === shotId).map((l) => l.characterId),
    ...loc.scene.marks.map((m) => m.characterId),
  ]);
  return doc.characters.filter((c) => used.has(c.id) && c.cameoRef).map((c) => ({ characterId: c.id, cameoId: c.cameoRef! }));
}

/** One decision per cameo the shot uses (empty when it uses none). */
export function checkShotConsent(doc: Project, shotId: string, ctx: ConsentContext): ConsentDecision[] {
  const seen = new Set<string>();
  const out: ConsentDecision[] = [];
  for (const { cameoId } of cameosOfShot(doc, shotId)) {
    if (seen.has(cameoId)) continue;
    seen.add(cameoId);
    out.push(cameoDecision(ctx.library.get(cameoId), cameoId, ctx.identity, ctx.now));
  }
  return out;
}

/** The error a blocked decision gives (input: no backend falls back to make it anyway). */
export function consentError(d: ConsentDecision, where: string): KlappeError {
  return new KlappeError({
    code: 'CAMEO_CONSENT',
    kind: 'input',
    message: `${where}: refused by ${d.rule}: ${d.reason}`,
    path: 'cameoRef',
    hint: 'Unbind the cameo from the character (klappe cameo unbind), or get a valid grant from its owner.',
  });
}

/** Throws CAMEO_CONSENT for the first cameo of the shot the current identity may not use; `onDecisions` sees every decision first (the log). */
export function requireShotConsent(
  doc: Project,
  shotId: string,
  ctx: ConsentContext = defaultConsentContext(),
  onDecisions?: (decisions: ConsentDecision[]) => void,
): void {
  const decisions = checkShotConsent(doc, shotId, ctx);
  if (decisions.length) onDecisions?.(decisions);
  const blocked = decisions.find((d) => d.outcome === 'block');
  if (blocked) {
    const loc = findShot(doc, shotId);
    throw consentError(blocked, `shot ${loc ? `${loc.scene.number}/${loc.shot.number}` : shotId}`);
  }
}

/** Takes of the project whose shot uses a blocked cameo, with the rule that blocks it. */
export function flaggedTakes(
  doc: Project,
  ctx: ConsentContext,
): Array<{ takeId: string; shotId: string; shot: string; cameoId: string; rule: string }> {
  const byShot = new Map<string, ConsentDecision | undefined>();
  const out: Array<{ takeId: string; shotId: string; shot: string; cameoId: string; rule: string }> = [];
  for (const t of doc.takes) {
    if (!byShot.has(t.shotId))
      byShot.set(
        t.shotId,
        checkShotConsent(doc, t.shotId, ctx).find((d) => d.outcome === 'block'),
      );
    const d = byShot.get(t.shotId);
    if (!d) continue;
    const loc = findShot(doc, t.shotId);
    out.push({
      takeId: t.id,
      shotId: t.shotId,
      shot: loc ? `${loc.scene.number}/${loc.shot.number} take ${t.number}` : t.shotId,
      cameoId: d.cameoId,
      rule: d.rule,
    });
  }
  return out;
}

/** Shots the sequence shows (through a shot clip or a take clip). */
export function shotsInSequence(doc: Project): string[] {
  const ids = new Set<string>();
  for (const track of doc.sequence.tracks)
    for (const c of track.clips) {
      if (c.source.type === 'shot') ids.add(c.source.shotId);
      else if (c.source.type === 'take') {
        const takeId = c.source.takeId;
        const t = doc.takes.find((x) => x.id === takeId);
        if (t) ids.add(t.shotId);
      }
    }
  return [...ids];
}

/** Every cameo the sequence shows, with its decision now (an export refuses a blocked one). */
export function exportConsent(doc: Project, ctx: ConsentContext = defaultConsentContext()): ConsentDecision[] {
  const seen = new Map<string, ConsentDecision>();
  for (const shotId of shotsInSequence(doc))
    for (const d of checkShotConsent(doc, shotId, ctx)) if (!seen.has(d.cameoId)) seen.set(d.cameoId, d);
  return [...seen.values()];
}

/** Throws CAMEO_CONSENT when the export would show a cameo the current identity may not use. */
export function requireExportConsent(doc: Project, ctx: ConsentContext = defaultConsentContext()): ConsentDecision[] {
  const all = exportConsent(doc, ctx);
  const blocked = all.find((d) => d.outcome === 'block');
  if (blocked) throw consentError(blocked, 'the export');
  return all;
}

/** The C2PA assertion of the cameos an export shows and that their grants were valid when it was made. */
export function cameoAssertion(
  decisions: ConsentDecision[],
  ctx: ConsentContext,
): { label: string; data: Record<string, unknown> } | undefined {
  if (!decisions.length) return undefined;
  return {
    label: 'app.klappe.cameos',
    data: {
      checkedAt: (ctx.now ?? new Date()).toISOString(),
      user: ctx.identity ? { id: ctx.identity.id, name: ctx.identity.name } : undefined,
      cameos: decisions.map((d) => {
        const b = ctx.library.get(d.cameoId)?.consent.body;
        return {
          cameoId: d.cameoId,
          ...(b
            ? {
                displayName: b.cameo.displayName,
                kind: b.cameo.kind,
                owner: b.owner,
                permission: b.permission,
                consentVersion: b.version,
                consentSignedAt: b.signedAt,
                ...(b.expiresAt ? { expiresAt: b.expiresAt } : {}),
              }
            : {}),
          grantValid: d.outcome === 'allow',
          rule: d.rule,
        };
      }),
    },
  };
}

/** Reference images of the cameos of `characters` (face crops), for backends that take reference images. */
export function cameoReferenceImages(characters: Array<{ cameoRef?: string }>, library = defaultLibrary()): string[] {
  const out: string[] = [];
  for (const c of characters) {
    if (!c.cameoRef) continue;
    for (const f of library.get(c.cameoRef)?.references ?? []) if (/\.(jpe?g|png|webp)$/i.test(f)) out.push(f);
  }
  return out;
}
