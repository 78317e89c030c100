/** A scene's set: name, interior or exterior, room size, start marks for the cast, props from the catalogue, and its actions (ActionsList). */
import { useState } from 'react';
import type { Scene } from '../../../engine/model/schema.js';
import { NumberField, SelectField, TextField } from '../components/fields.js';
import { useEditor } from '../editor/context.js';
import { charactersSel, scenesSel } from '../store/selectors.js';
import { useAppSelector } from '../store/store.js';
import { ActionsList } from './ActionsList.js';

const PROP_KINDS = ['cup', 'bottle', 'book', 'ball', 'box', 'chair', 'table', 'lamp', 'plant', 'door'] as const;

export function SetPanel() {
  const editor = useEditor();
  const scenes = useAppSelector(scenesSel.selectAll);
  const characters = useAppSelector(charactersSel.selectAll);
  const selectedShot = useAppSelector((s) => s.ui.selectedShotId);
  const rate = useAppSelector((s) => s.doc.meta?.rate ?? { num: 24, den: 1 });
  const [picked, setPicked] = useState<string | undefined>();
  const scene =
    scenes.find((s) => s.id === picked) ??
    scenes.find((s) => selectedShot && s.shotIds.includes(selectedShot)) ??
    scenes[scenes.length - 1];
  const name = (id: string) => characters.find((c) => c.id === id)?.name ?? scene?.props.find((p) => p.id === id)?.name ?? id;
  const addScene = () => void editor.apply({ type: 'scene.add', scene: { name: `Scene ${scenes.length + 1}` } }, 'Add scene');
  if (!scene)
    return (
      <div className="set-panel">
        <h2>Set</h2>
        <button type="button" onClick={addScene}>
          + Scene
        </button>
      </div>
    );
  const setPatch = (patch: Partial<Scene['set']>) =>
    void editor.apply({ type: 'scene.update', sceneId: scene.id, patch: { set: patch } }, 'Edit set');
  const unplaced = characters.filter((c) => !scene.marks.some((m) => m.characterId === c.id));
  return (
    <div className="set-panel">
      <h2>Set</h2>
      <div className="row2">
        <SelectField
          label="Scene"
          value={scene.id}
          options={scenes.map((s) => ({ value: s.id, label: `${s.number} · ${s.name}` }))}
          onChange={setPicked}
        />
        <button type="button" onClick={addScene}>
          + Scene
        </button>
      </div>
      <TextField
        label="Scene name"
        value={scene.name}
        maxLength={120}
        onCommit={(v) =>
          void editor.apply({ type: 'scene.update', sceneId: scene.id, patch: { name: v, set: { name: v } } }, 'Rename scene')
        }
      />
      <div className="row3">
        <SelectField
          label="Kind"
          value={scene.set.kind}
          options={[
            { value: 'room', label: 'Interior (room)' },
            { value: 'outdoor', label: 'Exterior' },
          ]}
          onChange={(kind) => setPatch({ kind })}
        />
        <NumberField
          compact
          label="Width"
          value={scene.set.width}
          min={1}
          max={200}
          step={0.5}
          suffix="m"
          onCommit={(width) => setPatch({ width })}
        />
        <NumberField
          compact
          label="Depth"
          value={scene.set.depth}
          min={1}
          max={200}
          step={0.5}
          suffix="m"
          onCommit={(depth) => setPatch({ depth })}
        />
      </div>
      <fieldset>
        <legend>Start marks</legend>
        {scene.marks.length ? (
          <ul className="marks">
            {scene.marks.map((m) => (
              <li key={m.characterId}>
                {name(m.characterId)} at ({m.position[0].toFixed(1)}, {m.position[1].toFixed(1)}) m, facing {Math.round(m.facingDeg)}°
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">Nobody is placed in this scene yet.</p>
        )}
        {unplaced.length ? (
          <button
            type="button"
            onClick={() =>
              void editor.apply({ type: 'mark.place', sceneId: scene.id, characterIds: unplaced.map((c) => c.id) }, 'Place cast')
            }
          >
            Place {unplaced.map((c) => c.name).join(' and ')}
          </button>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>Props</legend>
        <ul className="props">
          {scene.props.map((p) => (
            <li key={p.id}>
              {p.name} ({p.kind}){' '}
              <button
                type="button"
                className="mini danger"
                aria-label={`Remove ${p.name}`}
                onClick={() => void editor.apply({ type: 'prop.remove', sceneId: scene.id, propId: p.id })}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
        <SelectField
          label="Add a prop"
          value={'' as (typeof PROP_KINDS)[number]}
          options={[{ value: '' as (typeof PROP_KINDS)[number], label: 'Choose…' }, ...PROP_KINDS.map((k) => ({ value: k, label: k }))]}
          onChange={(kind) =>
            kind &&
            void editor.apply(
              {
                type: 'prop.add',
                sceneId: scene.id,
                prop: { kind, name: kind, position: [0, kind === 'table' ? 0.375 : 0.8, -0.8], fixed: kind === 'table' || kind === 'door' },
              },
              'Add prop',
            )
          }
        />
      </fieldset>
      <ActionsList scene={scene} rate={rate} name={name} />
    </div>
  );
}
