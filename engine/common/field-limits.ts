/**
 * The limits of number fields a user types into, and what to say when a value
 * is outside them ("Lens must be between 8 and 300 mm"). One table: the
 * document schema takes its bounds from here, the studio's fields refuse a
 * value outside them with these words (and keep the previous value) instead
 * of clamping it silently. Browser-safe.
 */
export interface NumberLimit {
  /** The field in words, as a sentence starts ("Duration"). */
  label: string;
  min?: number;
  max?: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** The unit after a number: singular and plural ("frame", "frames"). */
  unit?: { one: string; many: string };
}

export const LIMITS = {
  /** A shot's length in frames. */
  shotDuration: { label: 'Duration', min: 1, integer: true, unit: { one: 'frame', many: 'frames' } },
  /** A camera's focal length (35 mm equivalent). */
  lens: { label: 'Lens', min: 8, max: 300, unit: { one: 'mm', many: 'mm' } },
} as const satisfies Record<string, NumberLimit>;

function withUnit(limit: NumberLimit, n: number): string {
  return limit.unit ? `${n} ${n === 1 ? limit.unit.one : limit.unit.many}` : String(n);
}

/** What is wrong with `value` for a field, in plain words; undefined when it fits. */
export function numberProblem(limit: NumberLimit, value: number): string | undefined {
  if (!Number.isFinite(value)) return `${limit.label} must be a number`;
  const { min, max } = limit;
  if (min !== undefined && max !== undefined && (value < min || value > max))
    return `${limit.label} must be between ${min} and ${withUnit(limit, max)}`;
  if (min !== undefined && value < min) return `${limit.label} must be at least ${withUnit(limit, min)}`;
  if (max !== undefined && value > max) return `${limit.label} must be at most ${withUnit(limit, max)}`;
  if (limit.integer && !Number.isInteger(value))
    return `${limit.label} must be a whole number${limit.unit ? ` of ${limit.unit.many}` : ''}`;
  return undefined;
}
