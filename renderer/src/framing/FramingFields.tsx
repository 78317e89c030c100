/** A shot's framing in film language: size, subject, over whose shoulder, side; the camera is placed from it (engine/model/framing.ts). */
import type { Framing, Shot } from '../../../engine/model/schema.js';
import { SelectField } from '../components/fields.js';
import { useEditor } from '../editor/context.js';
import { charactersSel, scenesSel } from '../store/selectors.js';
import { useAppSelector } from '../store/store.js';

const SIZES: Array<{ value: Framing['size']; label: string }> = [
  { value: 'wide', label: 'Wide' },
  { value: 'medium', label: 'Medium' },
  { value: 'close-up', label: 'Close-up' },
  { value: 'over-the-shoulder', label: 'Over the shoulder' },
  { value: 'insert', label: 'Insert (a prop)' },
];

export function FramingFields({ shot }: { shot: Shot }) {
  const editor = useEditor();
  const characters = useAppSelector(charactersSel.selectAll);
  const scene = useAppSelector((s) => scenesSel.selectAll(s).find((sc) => sc.shotIds.includes(shot.id)));
  const props = scene?.props ?? [];
  const f = shot.framing;
  const frame = (next: Framing) => void editor.apply({ type: 'shot.update', shotId: shot.id, patch: { framing: next } }, 'Frame shot');
  if (!characters.length)
    return (
      <fieldset className="framing">
        <legend>Framing</legend>
        <p className="muted small">Add characters in the Cast panel to frame shots by size and subject.</p>
      </fieldset>
    );
  const subjects =
    f?.size === 'insert' ? props.map((p) => ({ value: p.id, label: p.name })) : characters.map((c) => ({ value: c.id, label: c.name }));
  const size = f?.size ?? 'medium';
  const subjectId = f?.subjectId ?? subjects[0]?.value ?? '';
  const others = characters.filter((c) => c.id !== subjectId);
  return (
    <fieldset className="framing" aria-label="Framing">
      <legend>Framing</legend>
      <div className="row2">
        <SelectField
          label="Size"
          value={f ? size : ('' as Framing['size'])}
          options={[...(f ? [] : [{ value: '' as Framing['size'], label: 'Not framed (camera by numbers)' }]), ...SIZES]}
          onChange={(v) => {
            const subject = v === 'insert' ? props[0]?.id : f && f.size !== 'insert' ? f.subjectId : characters[0]!.id;
            if (!subject) return;
            frame({
              size: v,
              subjectId: subject,
              ...(v === 'over-the-shoulder'
                ? {
                    overId:
                      f?.overId ?? others.find((c) => c.id !== subject)?.id ?? characters.find((c) => c.id !== subject)?.id ?? subject,
                  }
                : {}),
            });
          }}
        />
        <SelectField
          label="Subject"
          value={subjectId}
          options={subjects}
          onChange={(v) => frame({ ...(f ?? { size }), size, subjectId: v, ...(f?.overId === v ? { overId: subjectId } : {}) } as Framing)}
        />
      </div>
      {size === 'over-the-shoulder' ? (
        <SelectField
          label="Over the shoulder of"
          value={f?.overId ?? others[0]?.id ?? ''}
          options={others.map((c) => ({ value: c.id, label: c.name }))}
          onChange={(v) => frame({ ...(f ?? { size, subjectId }), overId: v } as Framing)}
        />
      ) : null}
      {f ? (
        <SelectField
          label="Camera side"
          value={f.side ?? 'right'}
          options={[
            { value: 'right', label: 'Right of the eye line' },
            { value: 'left', label: 'Left of the eye line' },
          ]}
          onChange={(side) => frame({ ...f, side })}
        />
      ) : null}
    </fieldset>
  );
}
