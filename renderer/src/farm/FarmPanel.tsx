/**
 * The render farm: each ComfyUI server with its state, GPU, VRAM, slots in use,
 * the shots running there, what it finished and how fast; servers are added
 * (the address goes to the host's secret store) and removed here.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { FarmServerView, FarmView } from '../../../engine/api/contract.js';
import { useEditor } from '../editor/context.js';

const gib = (bytes: number | undefined) => (bytes === undefined ? '?' : `${(bytes / 2 ** 30).toFixed(0)} GiB`);
const shortGpu = (name: string | undefined) => (name ?? 'GPU ?').replace(/^cuda:\d+\s*/, '').replace(/\s*:\s*\w+$/, '');

export function FarmPanel() {
  const editor = useEditor();
  const [view, setView] = useState<FarmView | undefined>();
  const [url, setUrl] = useState('');
  const [slots, setSlots] = useState(1);
  const [label, setLabel] = useState('');
  useEffect(() => {
    let live = true;
    const load = () =>
      void editor.farmView().then((v) => {
        if (live && v) setView(v);
      });
    load();
    const t = setInterval(load, 1000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [editor]);
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const v = await editor.farmAdd({ url: url.trim(), slots, ...(label.trim() ? { label: label.trim() } : {}) });
    if (v) {
      setView(v);
      setUrl('');
      setLabel('');
    }
  };
  const servers = view?.servers ?? [];
  const inUse = servers.reduce((n, s) => n + (s.state === 'down' ? 0 : s.inUse), 0);
  return (
    <div className="farm">
      <div className="farm-summary" aria-live="polite">
        {servers.length ? (
          <>
            {servers.filter((s) => s.state === 'up').length} of {servers.length} servers up · {inUse} of {view?.totalSlots ?? 0} slots busy
            · {(view?.perMinute ?? 0).toFixed(1)} shots/min
          </>
        ) : (
          'No farm servers yet: add a ComfyUI server to generate shots on it (backend comfyui).'
        )}
      </div>
      <table className="farm-servers" aria-label="Farm servers">
        <thead>
          <tr>
            <th>Server</th>
            <th>State</th>
            <th>GPU</th>
            <th>VRAM free</th>
            <th>Slots</th>
            <th>Running</th>
            <th>Done</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {servers.map((s) => (
            <ServerRow key={s.id} s={s} onRemove={() => void editor.farmRemove(s.id).then((v) => v && setView(v))} />
          ))}
        </tbody>
      </table>
      <form className="farm-add" onSubmit={(e) => void add(e)} aria-label="Add a farm server">
        <input
          aria-label="Server address"
          placeholder="http://gpu-host:8188"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          required
        />
        <input aria-label="Label" placeholder="label" value={label} onChange={(e) => setLabel(e.target.value)} size={10} />
        <label className="small">
          slots{' '}
          <input
            aria-label="Slots"
            type="number"
            min={1}
            max={64}
            value={slots}
            onChange={(e) => setSlots(Math.max(1, Number(e.target.value) || 1))}
          />
        </label>
        <button type="submit">Add server</button>
      </form>
    </div>
  );
}

function ServerRow({ s, onRemove }: { s: FarmServerView; onRemove: () => void }) {
  return (
    <>
      <tr className={`farm-server ${s.state}`} aria-label={`Server ${s.label}: ${s.state}`}>
        <td>
          <strong>{s.label}</strong>
          <div className="muted small">{s.address}</div>
        </td>
        <td>
          <span className={`farm-state ${s.state}`}>{s.state}</span>
          {s.lastError ? <div className="muted small">{s.lastError}</div> : null}
        </td>
        <td className="small">
          {shortGpu(s.gpu)}
          {s.queue !== undefined ? <div className="muted">queue {s.queue}</div> : null}
        </td>
        <td className="small">{s.vramFree !== undefined ? `${gib(s.vramFree)} / ${gib(s.vramTotal)}` : '—'}</td>
        <td>
          <span className="farm-slots" aria-label={`${s.inUse} of ${s.slots} slots in use`}>
            {Array.from({ length: s.slots }, (_, i) => (
              <i key={i} className={i < s.inUse ? 'busy' : ''} />
            ))}
          </span>
          <span className="small">
            {' '}
            {s.inUse}/{s.slots}
          </span>
        </td>
        <td className="small">
          {s.current.length ? s.current.map((c) => `shot ${c.shotNumber}`).join(', ') : <span className="muted">idle</span>}
        </td>
        <td className="small">
          {s.done}
          {s.failed ? ` (${s.failed} failed)` : ''} · {s.perMinute.toFixed(1)}/min
        </td>
        <td>
          {s.source === 'settings' ? (
            <button type="button" className="mini" aria-label={`Remove ${s.label}`} onClick={onRemove}>
              Remove
            </button>
          ) : (
            <span className="muted small" title="from KLAPPE_COMFYUI_URLS">
              env
            </span>
          )}
        </td>
      </tr>
      {s.excluded.map((x) => (
        <tr key={x.workflow} className="farm-excluded">
          <td colSpan={8} className="small">
            Out for {x.workflow}: {x.errors}
          </td>
        </tr>
      ))}
    </>
  );
}
