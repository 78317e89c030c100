/** Settings → Prices: the price table in use (version, checked date, source) and the user's overrides, saved in the settings. */
import { useEffect, useState } from 'react';
import type { PriceInfo, PriceOverrides } from '../../../engine/common/cost.js';
import { useEditor } from '../editor/context.js';
import { invalidateEstimates } from './use-estimate.js';

function toOverrides(info: PriceInfo, values: Record<string, string>): PriceOverrides {
  const out: PriceOverrides = {};
  for (const line of info.lines) {
    const v = Number(values[line.field]);
    if (values[line.field] === undefined || values[line.field] === '' || !Number.isFinite(v) || v === line.shipped) continue;
    if (line.field.startsWith('veoUsdPerSecond.'))
      out.veoUsdPerSecond = { ...out.veoUsdPerSecond, [line.field.slice('veoUsdPerSecond.'.length)]: v };
    else (out as Record<string, number>)[line.field] = v;
  }
  return out;
}

export function PricesSection() {
  const editor = useEditor();
  const [info, setInfo] = useState<PriceInfo>();
  const [values, setValues] = useState<Record<string, string>>({});
  const load = () =>
    void editor.prices().then((i) => {
      if (i) {
        setInfo(i);
        setValues(Object.fromEntries(i.lines.map((l) => [l.field, String(l.value)])));
      }
    });
  useEffect(load, []);
  if (!info) return null;
  const save = async () => {
    const v = await editor.setSettings({ prices: toOverrides(info, values) });
    if (v) {
      editor.toast('info', 'Prices saved');
      load();
      invalidateEstimates();
    }
  };
  return (
    <fieldset className="prices">
      <legend>Prices</legend>
      <p className="hint">
        Table {info.version}
        {info.checked ? `, cloud prices checked ${info.checked}` : ''}
        {info.source ? (
          <>
            {' '}
            —{' '}
            <a href={info.source} target="_blank" rel="noreferrer">
              {info.source}
            </a>
          </>
        ) : null}
      </p>
      {info.sourceNote ? <p className="hint small">{info.sourceNote}</p> : null}
      {info.lines.map((l) => (
        <div key={l.field} className="field">
          <label htmlFor={`price-${l.field}`}>
            {l.label} ({l.unit})
          </label>
          <input
            id={`price-${l.field}`}
            type="number"
            min={0}
            step="any"
            value={values[l.field] ?? ''}
            onChange={(e) => setValues({ ...values, [l.field]: e.target.value })}
          />
        </div>
      ))}
      <button type="button" onClick={() => void save()}>
        Save prices
      </button>
    </fieldset>
  );
}
