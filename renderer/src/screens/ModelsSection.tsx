/** Settings → Models: the local model packs (install from a URL with progress, import a converted folder, verify, remove). */
import { useEffect, useState } from 'react';
import type { ModelsView } from '../../../engine/api/contract.js';
import { formatBytes } from '../../../engine/common/format-bytes.js';
import { useEditor } from '../editor/context.js';

function eta(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  return seconds >= 60 ? `, about ${Math.ceil(seconds / 60)} min left` : `, about ${seconds} s left`;
}

export function ModelsSection() {
  const editor = useEditor();
  const [view, setView] = useState<ModelsView>();
  const [url, setUrl] = useState('');
  const [dir, setDir] = useState('');
  const [checked, setChecked] = useState<Record<string, string>>({});
  const load = () => void editor.models().then((v) => v && setView(v));
  useEffect(load, []);
  const running = view?.install?.state === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(load, 500);
    return () => clearInterval(timer);
  }, [running]);
  if (!view) return null;
  const install = view.install;
  return (
    <fieldset className="models">
      <legend>Models</legend>
      <p className="hint">
        Local model packs in <code>{view.root}</code> (the local model folder above, when set).
      </p>
      {view.packs.length === 0 ? <p className="muted small">No packs installed.</p> : null}
      <ul className="model-packs" aria-label="Installed model packs">
        {view.packs.map((p) => (
          <li key={p.folder}>
            {p.ok ? (
              <span>
                <strong>{p.name}</strong> {p.version} · {p.pipeline} · {formatBytes(p.bytes)} · {p.licence}
              </span>
            ) : (
              <span className="error">
                {p.folder}: {p.error}
              </span>
            )}
            {checked[p.id] ? <span className="hint small"> {checked[p.id]}</span> : null}
            {p.ok ? (
              <button
                type="button"
                className="mini"
                aria-label={`Verify ${p.id}`}
                onClick={() =>
                  void editor.verifyModel(p.id).then((r) => {
                    if (r)
                      setChecked({
                        ...checked,
                        [p.id]: r.problems.length
                          ? `${r.problems.length} file(s) damaged: ${r.problems.map((x) => x.path).join(', ')}`
                          : 'all files match',
                      });
                  })
                }
              >
                Verify
              </button>
            ) : null}
            <button
              type="button"
              className="mini"
              aria-label={`Remove ${p.id}`}
              onClick={() => void editor.removeModel(p.id).then((v) => v && setView(v))}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <div className="field">
        <label htmlFor="model-url">Install from URL</label>
        <span className="with-suffix">
          <input id="model-url" value={url} placeholder="https://…/klappe-pack.json" onChange={(e) => setUrl(e.target.value)} />
          <button
            type="button"
            className="mini"
            disabled={!url || running}
            onClick={() => void editor.installModel(url).then((v) => v && setView(v))}
          >
            Install
          </button>
        </span>
      </div>
      {install ? (
        <p className="hint" aria-label="Model install" role="status">
          {install.state === 'running'
            ? `Installing ${install.url}: ${formatBytes(install.doneBytes)} of ${formatBytes(install.totalBytes)}${eta(install.etaSeconds)}`
            : install.state === 'done'
              ? `Installed ${install.id ?? install.url}`
              : `Install ${install.state}: ${install.error ?? ''}`}
          {running ? (
            <button type="button" className="mini" onClick={() => void editor.cancelModelInstall().then((v) => v && setView(v))}>
              Cancel
            </button>
          ) : null}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="model-dir">Import a converted folder</label>
        <span className="with-suffix">
          <input id="model-dir" value={dir} placeholder="/path/to/wan2.1-onnx" onChange={(e) => setDir(e.target.value)} />
          <button
            type="button"
            className="mini"
            disabled={!dir}
            onClick={() => void editor.importModel(dir).then((v) => v && (setView(v), editor.toast('info', 'Pack imported')))}
          >
            Import
          </button>
        </span>
      </div>
    </fieldset>
  );
}
