/** Inputs that commit one command when editing ends (blur or Enter), not on every keystroke. */
import { useEffect, useId, useState } from 'react';

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
}) {
  const [v, setV] = useState(String(p.value));
  const id = useId();
  useEffect(() => setV(String(p.value)), [p.value]);
  const commit = () => {
    let n = Number(v);
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
          min={p.min}
          max={p.max}
          onChange={(e) => setV(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
        />
        {p.suffix ? <span className="suffix">{p.suffix}</span> : null}
      </span>
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
