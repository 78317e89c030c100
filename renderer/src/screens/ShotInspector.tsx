/**
 * The shot inspector: camera (position, target, lens, move), action, prompt, duration, characters present,
 * the shot's dialogue lines (the document's line entities naming this shot: line.add / line.update / line.remove), takes.
 */
import type { CommandInput } from '../../../engine/api/contract.js';
import type { Camera } from '../../../engine/model/schema.js';
import { framesToSeconds } from '../../../engine/common/time.js';
import { LIMITS } from '../../../engine/common/field-limits.js';
import { NumberField, SelectField, TextField } from '../components/fields.js';
import { CameoBlock } from '../cameo/CameoBlock.js';
import { charactersSel, currentTakes, linesOfShot, shotsSel, takesByShot } from '../store/selectors.js';
import { useAppSelector } from '../store/store.js';
import { useEditor } from '../editor/context.js';
import { ShotChecks } from '../checks/ShotChecks.js';
import { ShotSafety } from '../safety/ShotSafety.js';
import { FramingFields } from '../framing/FramingFields.js';
import { ShotCostOptions, TakeCostLabel } from '../cost/CostBadge.js';

const MOVES = ['static', 'pan', 'tilt', 'dolly', 'orbit', 'handheld'] as const;

type ShotPatch = Extract<CommandInput, { type: 'shot.update' }>['patch'];

export function ShotInspector() {
  const editor = useEditor();
  const shotId = useAppSelector((s) => s.ui.selectedShotId);
  const shot = useAppSelector((s) => (shotId ? shotsSel.selectById(s, shotId) : undefined));
  const characters = useAppSelector(charactersSel.selectAll);
  const takes = useAppSelector(takesByShot).get(shotId ?? '') ?? [];
  const current = useAppSelector(currentTakes).get(shotId ?? '');
  const lines = useAppSelector((s) => linesOfShot(s, shotId ?? ''));
  const rate = useAppSelector((s) => s.doc.meta?.rate ?? { num: 24, den: 1 });
  if (!shot)
    return (
      <aside className="inspector empty" aria-label="Shot inspector">
        <p className="muted">Select a shot to edit it.</p>
      </aside>
    );
  const update = (patch: ShotPatch, label?: string) => void editor.apply({ type: 'shot.update', shotId: shot.id, patch }, label);
  const cam = (patch: Partial<Camera>) => update({ camera: { ...shot.camera, ...patch } }, 'Edit camera');
  const vec = (key: 'position' | 'target', i: number, v: number) => {
    const next = [...shot.camera[key]] as [number, number, number];
    next[i] = v;
    cam({ [key]: next });
  };

  return (
    // a field's refusal ("Lens must be between 8 and 300 mm") belongs to its shot: another shot's fields start fresh
    <aside key={shot.id} className="inspector" aria-label="Shot inspector">
      <header>
        <h2>Shot {shot.number}</h2>
        <button type="button" className="primary" onClick={() => void editor.generate([shot.id])}>
          Generate
        </button>
        {takes.length ? (
          <button
            type="button"
            onClick={() => void editor.generateAgain(shot.id)}
            title="A new take with a new seed: another performance of the same shot"
          >
            Generate again
          </button>
        ) : null}
      </header>
      <ShotChecks shotId={shot.id} />
      <CameoBlock shotId={shot.id} />
      <ShotSafety shotId={shot.id} />
      <ShotCostOptions shotId={shot.id} />
      <TextField label="Name" value={shot.name} maxLength={120} onCommit={(name) => update({ name })} />
      <TextField
        label="Action"
        value={shot.action}
        multiline
        maxLength={2000}
        onCommit={(action) => update({ action })}
        placeholder="What happens in the shot"
      />
      <TextField
        label="Prompt"
        value={shot.prompt}
        multiline
        maxLength={4000}
        onCommit={(prompt) => update({ prompt })}
        placeholder="Extra words for the generator"
      />
      <TextField
        label="Negative prompt"
        value={shot.negativePrompt ?? ''}
        maxLength={2000}
        onCommit={(negativePrompt) => update({ negativePrompt })}
        placeholder="What the generator should avoid (cloud backends)"
      />
      <NumberField
        label="Duration (frames)"
        value={shot.duration}
        limit={LIMITS.shotDuration}
        onCommit={(duration) => update({ duration })}
        suffix={`${framesToSeconds(shot.duration, rate).toFixed(2)} s`}
      />
      <FramingFields shot={shot} />
      <details className="camera-advanced">
        <summary>Camera (advanced)</summary>
        <fieldset>
          <legend>Camera</legend>
          <div className="row3">
            {(['x', 'y', 'z'] as const).map((a, i) => (
              <NumberField
                key={a}
                compact
                label={`Camera ${a}`}
                value={shot.camera.position[i]!}
                step={0.1}
                onCommit={(v) => vec('position', i, v)}
              />
            ))}
          </div>
          <div className="row3">
            {(['x', 'y', 'z'] as const).map((a, i) => (
              <NumberField
                key={a}
                compact
                label={`Target ${a}`}
                value={shot.camera.target[i]!}
                step={0.1}
                onCommit={(v) => vec('target', i, v)}
              />
            ))}
          </div>
          <div className="row2">
            <NumberField label="Lens" value={shot.camera.lensMm} limit={LIMITS.lens} suffix="mm" onCommit={(lensMm) => cam({ lensMm })} />
            <SelectField
              label="Move"
              value={shot.camera.move.type}
              options={MOVES.map((m) => ({ value: m, label: m }))}
              onChange={(type) => cam({ move: { ...shot.camera.move, type } })}
            />
          </div>
          {shot.camera.move.type !== 'static' ? (
            <NumberField
              label={shot.camera.move.type === 'dolly' ? 'Move amount (m)' : 'Move amount (°)'}
              value={shot.camera.move.amount}
              step={1}
              onCommit={(amount) => cam({ move: { ...shot.camera.move, amount } })}
            />
          ) : null}
        </fieldset>
      </details>
      <fieldset>
        <legend>Characters in the shot</legend>
        {characters.length === 0 ? (
          <p className="muted small">The project has no characters.</p>
        ) : (
          characters.map((c) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                checked={shot.characterIds.includes(c.id)}
                onChange={(e) =>
                  update(
                    { characterIds: e.target.checked ? [...shot.characterIds, c.id] : shot.characterIds.filter((x) => x !== c.id) },
                    'Characters in shot',
                  )
                }
              />
              <span className="swatch" style={{ background: c.look.shirt }} aria-hidden /> {c.name}
            </label>
          ))
        )}
      </fieldset>
      <fieldset>
        <legend>Dialogue</legend>
        {lines.map((line, i) => (
          <div key={line.id} className="dialogue-line">
            <SelectField
              label={`Line ${i + 1} speaker`}
              value={line.characterId}
              options={characters.map((c) => ({ value: c.id, label: c.name }))}
              onChange={(characterId) => void editor.apply({ type: 'line.update', lineId: line.id, patch: { characterId } })}
            />
            <TextField
              label={`Line ${i + 1} text`}
              value={line.text}
              maxLength={1000}
              onCommit={(text) =>
                void (text.trim()
                  ? editor.apply({ type: 'line.update', lineId: line.id, patch: { text } })
                  : editor.apply({ type: 'line.remove', lineId: line.id }))
              }
            />
            <button
              type="button"
              className="mini danger"
              aria-label={`Remove line ${i + 1}`}
              onClick={() => void editor.apply({ type: 'line.remove', lineId: line.id })}
            >
              ✕
            </button>
          </div>
        ))}
        <button
          type="button"
          disabled={characters.length === 0}
          onClick={() =>
            void editor.apply({
              type: 'line.add',
              line: { shotId: shot.id, characterId: shot.characterIds[0] ?? characters[0]!.id, text: 'New line' },
            })
          }
        >
          + Dialogue line
        </button>
      </fieldset>
      <fieldset>
        <legend>Takes</legend>
        {takes.length === 0 ? (
          <p className="muted small">No takes yet: the sequence shows a slate.</p>
        ) : (
          <div className="takes" role="radiogroup" aria-label={`Takes of shot ${shot.number}`}>
            {takes.map((t) => (
              <label key={t.id} className={`take ${current?.id === t.id ? 'on' : ''}`}>
                <input
                  type="radio"
                  name={`take-${shot.id}`}
                  checked={current?.id === t.id}
                  onChange={() => void editor.apply({ type: 'take.select', shotId: shot.id, takeId: t.id })}
                />
                {t.media.thumbnail ? <img src={editor.mediaUrl(t.media.thumbnail)} alt="" /> : null}
                <span>
                  Take {t.number} · {t.backend}
                </span>
                <TakeCostLabel take={t} />
                {t.media.video && t.backend !== 'enhance' ? (
                  <button
                    type="button"
                    className="mini"
                    aria-label={`Enhance take ${t.number} to 1920x1080`}
                    title="Enhance: a larger copy of this take made by the ×3 super-resolution model (a job in the queue)"
                    onClick={(e) => {
                      e.preventDefault();
                      void editor.enhanceTake(t.id);
                    }}
                  >
                    Enhance
                  </button>
                ) : null}
              </label>
            ))}
          </div>
        )}
      </fieldset>
    </aside>
  );
}
