/**
 * Moderation of text (prompts, action text, dialogue) by the policy's rules:
 * allowed film phrases are taken out first ("shoot the scene", "kill the
 * lights"), a trigger after a negation ("no nudity") does not count, `all`
 * rules need their parts near each other ("12-year-old" near "nude"), and
 * opt-out lists block the names of their rights holders. The outcome is the
 * most severe rule that fired; a refusal names the rule and how to proceed.
 */
import { outcomeFor, type CategoryId, type Outcome, type Policy } from './policy.js';
import { findMatches, tokenize, type CompiledPattern, type Span, type Token } from './text-match.js';

/** A compiled rights-holder entry (optouts.ts). */
export interface OptoutMatcher {
  listId: string;
  holder: string;
  kind: string;
  /** What it protects, as the list names it ("Captain Comet"). */
  label: string;
  patterns: CompiledPattern[];
}

export interface RuleHit {
  rule: string;
  category: CategoryId;
  score: number;
  outcome: Outcome;
  /** The words that fired it. */
  matched: string;
  about: string;
  proceed: string;
  /** The rights holder, for opt-out hits. */
  holder?: string;
}

export interface Verdict {
  outcome: Outcome;
  /** The decisive rule (the most severe hit), absent when nothing fired. */
  rule?: string;
  category?: CategoryId;
  score: number;
  /** One sentence for the user: what fired and why. */
  message: string;
  /** How to proceed (blocks and warnings). */
  proceed?: string;
  hits: RuleHit[];
  /** Allowed phrases that took words out ("film.shoot"). */
  allowed: string[];
  policyVersion: string;
}

const SEVERITY: Record<Outcome, number> = { allow: 0, warn: 1, block: 2 };

export function severity(o: Outcome): number {
  return SEVERITY[o];
}

/** The more severe of two outcomes. */
export function worst(a: Outcome, b: Outcome): Outcome {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}

function gap(a: Span, b: Span): number {
  return Math.max(0, b.start - a.end, a.start - b.end);
}

export function moderateText(text: string, policy: Policy, optouts: readonly OptoutMatcher[] = []): Verdict {
  const tokens = tokenize(text);
  const masked = new Array<boolean>(tokens.length).fill(false);
  const allowed: string[] = [];
  for (const a of policy.allow) {
    let used = false;
    for (const p of a.patterns)
      for (const s of findMatches(p, tokens)) {
        for (let i = s.start; i < s.end; i++) masked[i] = true;
        used = true;
      }
    if (used) allowed.push(a.id);
  }
  const negated = (s: Span) => {
    const sentence = tokens[s.start]!.sentence;
    for (let i = s.start - 1; i >= 0 && i >= s.start - policy.negationWindow; i--) {
      if (tokens[i]!.sentence !== sentence) break;
      if (policy.negation.has(tokens[i]!.text)) return true;
    }
    return false;
  };
  const spans = (patterns: CompiledPattern[], negatable: boolean): Span[] =>
    patterns.flatMap((p) =>
      findMatches(p, tokens).filter((s) => !masked.slice(s.start, s.end).some(Boolean) && !(negatable && negated(s))),
    );
  const words = (s: Span) =>
    tokens
      .slice(s.start, s.end)
      .map((t: Token) => t.text)
      .join(' ');

  const hits: RuleHit[] = [];
  for (const rule of policy.rules) {
    const category = policy.file.categories[rule.category];
    let found: Span[] | undefined;
    if (rule.anyPatterns.length) {
      const s = spans(rule.anyPatterns, rule.negatable)[0];
      if (s) found = [s];
    } else {
      const groups = rule.allPatterns.map((g) => spans(g, rule.negatable));
      const unless = rule.unlessPatterns.length ? spans(rule.unlessPatterns, true) : [];
      for (const first of groups[0] ?? []) {
        const others = groups.slice(1).map((g) => g.find((s) => gap(first, s) <= rule.within));
        if (others.some((o) => !o)) continue;
        const parts = [first, ...(others as Span[])];
        if (unless.some((u) => parts.some((p) => gap(p, u) <= rule.within))) continue;
        found = parts;
        break;
      }
    }
    if (!found) continue;
    const hashed = [...rule.anyPatterns, ...rule.allPatterns.flat()].some((p) => p.source.includes('#'));
    hits.push({
      rule: rule.id,
      category: rule.category,
      score: rule.score,
      outcome: outcomeFor(category, rule.score),
      matched: hashed ? '(a listed slur)' : found.map(words).join(' … '),
      about: rule.about,
      proceed: category.proceed,
    });
  }
  for (const o of optouts) {
    const s = spans(o.patterns, false)[0];
    if (!s) continue;
    hits.push({
      rule: `optout.${o.listId}`,
      category: 'rights',
      score: 1,
      outcome: 'block',
      matched: words(s),
      about: `${o.holder} has opted out of the use of ${o.kind} "${o.label}"`,
      proceed: `Remove "${o.label}" or use your own ${o.kind}; ask ${o.holder} for permission to use it.`,
      holder: o.holder,
    });
  }
  const decisive = [...hits].sort((a, b) => SEVERITY[b.outcome] - SEVERITY[a.outcome] || b.score - a.score)[0];
  if (!decisive || decisive.outcome === 'allow')
    return { outcome: 'allow', score: decisive?.score ?? 0, message: 'allowed', hits, allowed, policyVersion: policy.version };
  const label =
    decisive.category === 'rights'
      ? 'Rights-holder opt-out'
      : policy.file.categories[decisive.category as keyof Policy['file']['categories']].label;
  const verb = decisive.outcome === 'block' ? 'Blocked' : 'Warning';
  return {
    outcome: decisive.outcome,
    rule: decisive.rule,
    category: decisive.category,
    score: decisive.score,
    message: `${verb} by rule ${decisive.rule} (${label}): "${decisive.matched}". ${decisive.about}.`.replace(/\.\.$/, '.'),
    proceed: decisive.proceed,
    hits,
    allowed,
    policyVersion: policy.version,
  };
}
