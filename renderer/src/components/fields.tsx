/** Inputs that commit one command when editing ends (blur or Enter), not on every keystroke. */
import { useEffect, useId, useState } from 'react';
import { numberProblem, type NumberLimit } from '../../../engine/common/field-limits.js';

export function TextField(p: {
  label: string;
  value: string;
  onCommit(v: string): void;
  multiline?: boolean;
  maxLength?: number;
  placeholder?: string;
}) {
  const [v, setV] = useState(p.value);
  const id = useId();
  useEffect(() => setV(p.value), [p.value]);
  const commit = () => {
    if (v !== p.value) p.onCommit(v);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{p.label}</label>
      {p.multiline ? (
        <textarea
          id={id}
          value={v}
          rows={3}
          maxLength={p.maxLength}
          placeholder={p.placeholder}
          onChange={(e) => setV(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) commit();
            if (e.key === 'Escape') setV(p.value);
          }}
        />
      ) : (
        <input
          id={id}
          value={v}
          maxLength={p.maxLength}
          placeholder={p.placeholder}
          onChange={(e) => setV(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setV(p.value);
          }}
        />
      )}
    </div>
  );
}

export function NumberField(p: {
  label: string;
  value: number;
  onCommit(v: number): void;
  step?: number;
  min?: number;
  max?: number;
  integer?: boolean;
  suffix?: string;
  compact?: boolean;
  /** Refuse a value outside these limits in plain words and keep the previous one (instead of clamping it). */
  limit?: NumberLimit;
}) {
  const [v, setV] = useState(String(p.value));
  const [problem, setProblem] = useState<string>();
  const id = useId();
  useEffect(() => setV(String(p.value)), [p.value]);
  const commit = () => {
    // nothing typed since the last commit (or a refusal put the value back): leave the message where it is
    if (v === String(p.value)) return;
    let n = v.trim() === '' ? NaN : Number(v);
    if (p.limit) {
      const wrong = numberProblem(p.limit, n);
      setProblem(wrong ? `${wrong}; kept ${p.value}` : undefined);
      if (wrong) {
        setV(String(p.value));
        return;
      }
    }
    if (!Number.isFinite(n)) {
      setV(String(p.value));
      return;
    }
    if (p.integer) n = Math.round(n);
    if (p.min !== undefined) n = Math.max(p.min, n);
    if (p.max !== undefined) n = Math.min(p.max, n);
    setV(String(n));
    if (n !== p.value) p.onCommit(n);
  };
  return (
    <div className={`field ${p.compact ? 'compact' : ''}`}>
      <label htmlFor={id}>{p.label}</label>
      <span className="with-suffix">
        <input
          id={id}
          type="number"
          value={v}
          step={p.step ?? 1}
          min={p.limit?.min ?? p.min}
          max={p.limit?.max ?? p.max}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(e) => setV(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
        />
        {p.suffix ? <span className="suffix">{p.suffix}</span> : null}
      </span>
      {problem ? (
        <p id={`${id}-problem`} className="field-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

export function SelectField<T extends string>(p: {
  label: string;
  value: T;
  options: Array<{ value: T; label: string }>;
  onChange(v: T): void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{p.label}</label>
      <select id={id} value={p.value} onChange={(e) => p.onChange(e.target.value as T)}>
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
