/** What the studio shows of the safety layer (engine/safety): a shot's verdict, the decision log, the policy. Browser-safe types. */
export type SafetyOutcome = 'allow' | 'warn' | 'block';

/** The verdict on one text of a shot (its prompt, action or a line). */
export interface SafetyFieldView {
  field: string;
  outcome: SafetyOutcome;
  rule?: string;
  category?: string;
  message: string;
  proceed?: string;
}

/** What the policy says about a shot's texts now (the inspector's live view; the generation gate decides and logs). */
export interface ShotSafetyView {
  shotId: string;
  outcome: SafetyOutcome;
  /** The most severe field (absent when everything is allowed). */
  decisive?: SafetyFieldView;
  /** Every field that warns or blocks. */
  flagged: SafetyFieldView[];
  policyVersion: string;
}

/** One entry of the decision log. */
export interface SafetyDecisionView {
  id: number;
  at: string;
  subject: string;
  ref: string;
  excerpt: string;
  checker: string;
  rule?: string;
  category?: string;
  score?: number;
  outcome: SafetyOutcome;
  reason: string;
  policyVersion: string;
}

export interface SafetyPolicyView {
  version: string;
  name: string;
  sources: string[];
  categories: Array<{ id: string; label: string; warnAt: number; blockAt: number; locked: boolean; proceed: string }>;
  /** Categories the pre-export frame check has no local image model for. */
  framesUnchecked: string[];
  /** Imported opt-out lists (rights holder, entries) and lists refused because their signature failed. */
  optouts: Array<{ id: string; holder: string; version: number; entries: number; signer: string }>;
  optoutsRefused: Array<{ file: string; reason: string }>;
}
