/** Settings: backends (keys are write-only: never shown back), ComfyUI URL, local model folder, cache budget. */
import { useEffect, useState } from 'react';
import type { CacheUsage, SecretKey, SettingsView } from '../../../engine/api/contract.js';
import { formatBytes } from '../../../engine/common/format-bytes.js';
import { Dialog } from '../components/Dialog.js';
import { useAppDispatch } from '../store/store.js';
import { openDialog } from '../store/ui-slice.js';
import { useEditor } from '../editor/context.js';
import { PricesSection } from '../cost/PricesSection.js';
import { ModelsSection } from './ModelsSection.js';

const SECRETS: Array<{ key: SecretKey; label: string; placeholder: string }> = [
  { key: 'gemini', label: 'Google Gemini API key (Veo)', placeholder: 'not set' },
  { key: 'comfyui', label: 'ComfyUI server URL', placeholder: 'not set, e.g. http://127.0.0.1:8188' },
];

export function SettingsDialog() {
  const editor = useEditor();
  const dispatch = useAppDispatch();
  const [view, setView] = useState<SettingsView>();
  const [form, setForm] = useState({ localModelDir: '', cacheBudgetGb: 20, creatorName: '' });
  const [secrets, setSecrets] = useState<Partial<Record<SecretKey, string>>>({});
  const [usage, setUsage] = useState<CacheUsage>();
  const refreshUsage = () => void editor.cacheStats().then((u) => u && setUsage(u));
  useEffect(refreshUsage, []);
  useEffect(() => {
    void editor.settings().then((v) => {
      if (!v) return;
      setView(v);
      setForm({ localModelDir: v.localModelDir, cacheBudgetGb: v.cacheBudgetGb, creatorName: v.creatorName });
    });
  }, []);
  const close = () => dispatch(openDialog(null));
  const save = async (extra?: Partial<Record<SecretKey, string | null>>) => {
    const toSet = Object.fromEntries(Object.entries({ ...secrets, ...extra }).filter(([, v]) => v !== '' && v !== undefined));
    const v = await editor.setSettings({ ...form, ...(Object.keys(toSet).length ? { secrets: toSet } : {}) });
    if (v) {
      setView(v);
      setSecrets({});
      editor.toast('info', 'Settings saved');
      refreshUsage();
    }
  };
  return (
    <Dialog title="Settings" onClose={close} wide>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset>
          <legend>Backends</legend>
          {SECRETS.map((s) => (
            <div key={s.key} className="field secret">
              <label htmlFor={`secret-${s.key}`}>{s.label}</label>
              <span className="with-suffix">
                <input
                  id={`secret-${s.key}`}
                  type="password"
                  autoComplete="off"
                  value={secrets[s.key] ?? ''}
                  placeholder={view?.secretsSet[s.key] ? '•••••••• (set — type to replace)' : s.placeholder}
                  onChange={(e) => setSecrets({ ...secrets, [s.key]: e.target.value })}
                />
                {view?.secretsSet[s.key] ? (
                  <button type="button" className="mini" aria-label={`Remove ${s.label}`} onClick={() => void save({ [s.key]: null })}>
                    Remove
                  </button>
                ) : null}
              </span>
            </div>
          ))}
          <div className="field">
            <label htmlFor="models">Local model folder</label>
            <input
              id="models"
              value={form.localModelDir}
              placeholder="/path/to/models"
              onChange={(e) => setForm({ ...form, localModelDir: e.target.value })}
            />
          </div>
          {view ? (
            <p className="hint" aria-label="Local models">
              {view.localModels}
            </p>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>Cache and credits</legend>
          <div className="field">
            <label htmlFor="budget">Cache budget (GB)</label>
            <input
              id="budget"
              type="number"
              min={1}
              value={form.cacheBudgetGb}
              onChange={(e) => setForm({ ...form, cacheBudgetGb: Number(e.target.value) || 1 })}
            />
          </div>
          {usage ? (
            <p className="hint" aria-label="Cache in use">
              In use: {formatBytes(usage.bytes)} in {usage.files} files of {formatBytes(usage.budgetBytes)}
              {usage.pinnedBytes ? `; ${formatBytes(usage.pinnedBytes)} held by recent projects` : ''}
              {usage.lastEvicted ? `; last clean-up removed ${usage.lastEvicted} files` : ''}. Least-recently-used media is removed when the
              cache is over budget (after each generation).
            </p>
          ) : null}
          <div className="field">
            <label htmlFor="creator">Creator name (watermark)</label>
            <input id="creator" value={form.creatorName} onChange={(e) => setForm({ ...form, creatorName: e.target.value })} />
          </div>
        </fieldset>
        <ModelsSection />
        <PricesSection />
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            Close
          </button>
          <button type="submit" className="primary">
            Save settings
          </button>
        </div>
      </form>
    </Dialog>
  );
}
