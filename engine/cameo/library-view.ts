/** The library as the studio shows it: each cameo with what the current identity may do, and the flagged uses. */
import type { CameoFlags, CameoLibraryView, CameoView } from '../common/cameo-view.js';
import type { Project } from '../model/schema.js';
import { cameoDecision, exportConsent, flaggedTakes, type ConsentContext } from './consent-check.js';
import type { CameoEntry } from './library.js';

export function cameoView(e: CameoEntry, ctx: ConsentContext): CameoView {
  const b = e.consent.body;
  return {
    id: b.cameoId,
    displayName: b.cameo.displayName,
    kind: b.cameo.kind,
    owner: b.owner,
    mine: ctx.identity?.id === b.owner.id,
    permission: b.permission,
    approved: b.approved,
    ...(b.expiresAt ? { expiresAt: b.expiresAt } : {}),
    ...(b.revokedAt ? { revokedAt: b.revokedAt } : {}),
    ...(b.deletedAt ? { deletedAt: b.deletedAt } : {}),
    consentVersion: b.version,
    decision: cameoDecision(e, b.cameoId, ctx.identity, ctx.now),
    references: e.references.length,
    history: b.history,
  };
}

/** Flags of the open project (takes, export plan) and of other projects (characters bound to a blocked cameo). */
export function cameoFlags(ctx: ConsentContext, open: Project | undefined, others: Array<{ dir: string; doc: Project }>): CameoFlags {
  const blockedIn = (doc: Project) =>
    [...new Set(doc.characters.map((c) => c.cameoRef).filter((r): r is string => !!r))].filter(
      (id) => cameoDecision(ctx.library.get(id), id, ctx.identity, ctx.now).outcome === 'block',
    );
  const plan = open ? exportConsent(open, ctx).filter((d) => d.outcome === 'block') : [];
  return {
    takes: open ? flaggedTakes(open, ctx) : [],
    projects: others.map((p) => ({ dir: p.dir, name: p.doc.name, cameoIds: blockedIn(p.doc) })).filter((p) => p.cameoIds.length),
    exportPlan: { blocked: plan.length > 0, cameoIds: plan.map((d) => d.cameoId) },
  };
}

export function libraryView(
  ctx: ConsentContext,
  open: Project | undefined,
  others: Array<{ dir: string; doc: Project }>,
): CameoLibraryView {
  return {
    ...(ctx.identity ? { identity: ctx.identity } : {}),
    cameos: ctx.library.list().map((e) => cameoView(e, ctx)),
    flags: cameoFlags(ctx, open, others),
    stamp: ctx.library.stamp(),
  };
}
