/**
 * The cast: add, rename and remove characters with a look (colours, height), a voice (the embedded voices by what they
 * sound like, rate, pitch, a preview to hear it) and reference images for the backends that take them.
 */
import { useState } from 'react';
import { ReferenceImages } from './ReferenceImages.js';
import { VoiceControls } from './VoiceControls.js';
import type { Character } from '../../../engine/model/schema.js';
import { NumberField, TextField } from '../components/fields.js';
import { useEditor } from '../editor/context.js';
import { charactersSel } from '../store/selectors.js';
import { useAppSelector } from '../store/store.js';

const SHIRTS = ['#3060c0', '#c04040', '#40a060', '#c09030', '#8040a0', '#305080'];

function slug(name: string, taken: Set<string>): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'character';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function CastPanel() {
  const editor = useEditor();
  const characters = useAppSelector(charactersSel.selectAll);
  const [name, setName] = useState('');
  const add = () => {
    const n = name.trim();
    if (!n) return;
    if (characters.some((c) => c.name.toLowerCase() === n.toLowerCase())) {
      editor.toast('error', `The cast already has ${n}`);
      return;
    }
    const id = slug(n, new Set(characters.map((c) => c.id)));
    void editor.apply(
      {
        type: 'character.add',
        character: {
          id,
          name: n,
          look: { shirt: SHIRTS[characters.length % SHIRTS.length]! },
          voice: { voice: characters.length % 2 ? 'kal' : 'slt' },
        },
      },
      `Add ${n} to the cast`,
    );
    setName('');
  };
  const update = (c: Character, patch: Partial<Pick<Character, 'name' | 'look' | 'voice'>>, label: string) =>
    void editor.apply({ type: 'character.update', characterId: c.id, patch }, label);
  return (
    <div className="cast-panel">
      <h2>Cast</h2>
      <form
        className="row2"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <label className="field">
          <span>New character</span>
          <input aria-label="New character name" value={name} placeholder="Name" onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={!name.trim()}>
          Add to cast
        </button>
      </form>
      {characters.length === 0 ? <p className="muted small">Nobody yet: add the characters of your film.</p> : null}
      <ul className="cast-list">
        {characters.map((c) => (
          <li key={c.id} className="cast-member" aria-label={`Character ${c.name}`}>
            <div className="cast-row">
              <span className="swatch big" style={{ background: c.look.shirt }} aria-hidden />
              <TextField
                label={`Name of ${c.name}`}
                value={c.name}
                maxLength={80}
                onCommit={(v) => v.trim() && update(c, { name: v.trim() }, 'Rename character')}
              />
              <label className="field">
                <span>Shirt</span>
                <input
                  type="color"
                  aria-label={`Shirt of ${c.name}`}
                  value={c.look.shirt}
                  onChange={(e) => update(c, { look: { ...c.look, shirt: e.target.value } }, 'Change look')}
                />
              </label>
              <label className="field">
                <span>Hair</span>
                <input
                  type="color"
                  aria-label={`Hair of ${c.name}`}
                  value={c.look.hair}
                  onChange={(e) => update(c, { look: { ...c.look, hair: e.target.value } }, 'Change look')}
                />
              </label>
              <NumberField
                compact
                label={`Height of ${c.name}`}
                value={c.look.height}
                min={0.5}
                max={2.5}
                step={0.05}
                suffix="m"
                onCommit={(height) => update(c, { look: { ...c.look, height } }, 'Change look')}
              />
              <button
                type="button"
                className="mini danger"
                aria-label={`Remove ${c.name}`}
                onClick={() => void editor.apply({ type: 'character.remove', characterId: c.id }, 'Remove character')}
              >
                ✕
              </button>
            </div>
            <VoiceControls character={c} onChange={(voice) => update(c, { voice }, 'Change voice')} />
            <ReferenceImages character={c} />
          </li>
        ))}
      </ul>
    </div>
  );
}
