/**
 * What the studio shows of the cameo library (browser-safe types and names):
 * each cameo with its consent state and what the current identity may do with
 * it, and the takes, projects and export plans that use a blocked cameo.
 */

export const CAMEO_KINDS = ['person', 'pet', 'object'] as const;
export type CameoKind = (typeof CAMEO_KINDS)[number];

/** Who may put the cameo into a video: only its owner, the identities on its approval list, or anyone. */
export const CAMEO_PERMISSIONS = ['only-me', 'approved', 'everyone'] as const;
export type CameoPermission = (typeof CAMEO_PERMISSIONS)[number];

export const PERMISSION_LABELS: Record<CameoPermission, string> = {
  'only-me': 'Only me',
  approved: 'People I approve',
  everyone: 'Everyone',
};

/** The result of one consent check, as data (the safety decision log may record it). */
export interface ConsentDecision {
  outcome: 'allow' | 'block';
  /** Stable rule name: cameo.owner, cameo.everyone, cameo.approved, cameo.not-approved, cameo.revoked, cameo.expired, cameo.deleted, cameo.unknown. */
  rule: string;
  /** In words, naming the cameo and what to do. */
  reason: string;
  cameoId: string;
}

export interface IdentityView {
  id: string;
  name: string;
}

export interface CameoView {
  id: string;
  displayName: string;
  kind: CameoKind;
  owner: IdentityView;
  /** The current identity owns it (may grant, revoke, delete). */
  mine: boolean;
  permission: CameoPermission;
  approved: Array<IdentityView & { grantedAt: string }>;
  expiresAt?: string;
  revokedAt?: string;
  deletedAt?: string;
  /** Version of the signed consent record (each change signs a new one). */
  consentVersion: number;
  /** What the current identity may do with it now. */
  decision: ConsentDecision;
  /** Reference images (media urls are not needed: the count is shown). */
  references: number;
  history: Array<{ at: string; action: string; identity?: IdentityView; detail?: string }>;
}

/** Uses of cameos the current identity may not use (revoked, expired, deleted, not granted). */
export interface CameoFlags {
  takes: Array<{ takeId: string; shotId: string; shot: string; cameoId: string; rule: string }>;
  /** Recent projects with a character bound to a blocked cameo. */
  projects: Array<{ dir: string; name: string; cameoIds: string[] }>;
  /** The open project's export plan (its sequence) shows a blocked cameo. */
  exportPlan: { blocked: boolean; cameoIds: string[] };
}

export interface CameoLibraryView {
  identity?: IdentityView;
  cameos: CameoView[];
  flags: CameoFlags;
  /** Changes with every change of the library (the studio re-reads on a change). */
  stamp: string;
}
