/**
 * The safety decision log: one row per check (what was checked, where, by
 * which rule or model, score, outcome, policy version, time) in the
 * `safety_decisions` table of the Klappe database (data folder). Moderation,
 * opt-out matches, the pre-export frame check and the cameo consent checks
 * (engine/cameo hands its {outcome, rule, reason} to `record`) all write here;
 * `klappe safety log` and the studio's Safety log read it. Keys and tokens
 * never reach it: only the checked text, cut to 200 characters.
 */
import { openDatabase, type Db } from '../cache/database.js';
import { redactSecrets } from '../secrets/secret-store.js';
import type { CategoryId, Outcome } from './policy.js';

export type DecisionSubject = 'prompt' | 'shot' | 'dialogue' | 'frames' | 'reference' | 'consent' | 'optouts';

export interface DecisionInput {
  subject: DecisionSubject;
  /** Where: a project file and shot ("…/project.klappe#shot s1"), a media file, a list. */
  ref?: string;
  /** What was checked (text is cut to 200 characters). */
  excerpt?: string;
  /** The rules of the policy, a model ("face_recognition@…"), or "cameo". */
  checker: string;
  rule?: string;
  category?: CategoryId | string;
  score?: number;
  outcome: Outcome;
  reason?: string;
  policyVersion: string;
  /** Time, ms since 1970 (default now). */
  at?: number;
}

export interface Decision {
  id: number;
  at: string;
  subject: DecisionSubject;
  ref: string;
  excerpt: string;
  checker: string;
  rule?: string;
  category?: string;
  score?: number;
  outcome: Outcome;
  reason: string;
  policyVersion: string;
}

interface Row {
  id: number;
  at: number;
  subject: DecisionSubject;
  ref: string;
  excerpt: string;
  checker: string;
  rule: string | null;
  category: string | null;
  score: number | null;
  outcome: Outcome;
  reason: string;
  policy_version: string;
}

const EXCERPT = 200;

export class DecisionLog {
  private readonly q;

  constructor(readonly db: Db = openDatabase()) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO safety_decisions (at, subject, ref, excerpt, checker, rule, category, score, outcome, reason, policy_version)
         VALUES (@at, @subject, @ref, @excerpt, @checker, @rule, @category, @score, @outcome, @reason, @policyVersion)`,
      ),
    };
  }

  /** Writes one entry; its id. */
  record(d: DecisionInput): number {
    const excerpt = redactSecrets((d.excerpt ?? '').replace(/\s+/g, ' ').trim());
    const r = this.q.insert.run({
      at: d.at ?? Date.now(),
      subject: d.subject,
      ref: d.ref ?? '',
      excerpt: excerpt.length > EXCERPT ? `${excerpt.slice(0, EXCERPT - 1)}…` : excerpt,
      checker: d.checker,
      rule: d.rule ?? null,
      category: d.category ?? null,
      score: d.score ?? null,
      outcome: d.outcome,
      reason: redactSecrets(d.reason ?? ''),
      policyVersion: d.policyVersion,
    });
    return Number(r.lastInsertRowid);
  }

  /**
   * Writes the decisions of a cameo consent check (engine/cameo's `{outcome, rule, reason, cameoId}`)
   * as `consent` entries; the ids.
   */
  recordConsent(
    decisions: ReadonlyArray<{ outcome: Outcome; rule: string; reason: string; cameoId?: string }>,
    where: { ref?: string; policyVersion: string },
  ): number[] {
    return decisions.map((d) =>
      this.record({
        subject: 'consent',
        ...(where.ref ? { ref: where.ref } : {}),
        ...(d.cameoId ? { excerpt: `cameo ${d.cameoId}` } : {}),
        checker: 'cameo consent',
        rule: d.rule,
        category: 'consent',
        outcome: d.outcome,
        reason: d.reason,
        policyVersion: where.policyVersion,
      }),
    );
  }

  /** Newest first; `ref` keeps the entries whose ref starts with it (a project file and "#"). */
  list(opts: { limit?: number; outcome?: Outcome; ref?: string; since?: number } = {}): Decision[] {
    const where: string[] = [];
    const args: Record<string, unknown> = { limit: opts.limit ?? 200 };
    if (opts.outcome) {
      where.push('outcome = @outcome');
      args.outcome = opts.outcome;
    }
    if (opts.ref) {
      where.push('substr(ref, 1, length(@ref)) = @ref');
      args.ref = opts.ref;
    }
    if (opts.since !== undefined) {
      where.push('at >= @since');
      args.since = opts.since;
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM safety_decisions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT @limit`,
      )
      .all(args) as Row[];
    return rows.map(toDecision);
  }

  count(): number {
    return this.db.prepare('SELECT count(*) FROM safety_decisions').pluck().get() as number;
  }
}

function toDecision(r: Row): Decision {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    subject: r.subject,
    ref: r.ref,
    excerpt: r.excerpt,
    checker: r.checker,
    ...(r.rule ? { rule: r.rule } : {}),
    ...(r.category ? { category: r.category } : {}),
    ...(r.score !== null ? { score: r.score } : {}),
    outcome: r.outcome,
    reason: r.reason,
    policyVersion: r.policy_version,
  };
}
