/**
 * A character's reference images in the Cast panel: thumbnails of the pictures picked (copied into the project),
 * a remove button on each, and a picker for more. Backends that take reference images get them with every shot
 * the character is in.
 */
import { useEffect, useRef, useState } from 'react';
import type { Character } from '../../../engine/model/schema.js';
import { MAX_CHARACTER_REFERENCES } from '../../../engine/common/cast-limits.js';
import { useEditor } from '../editor/context.js';

function Thumb(p: { mediaId: string; label: string; onRemove(): void }) {
  const editor = useEditor();
  const [url, setUrl] = useState<string | undefined>();
  const [failed, setFailed] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    editor.referenceThumbUrl(p.mediaId).then(
      (u) => live && setUrl(u),
      (e: unknown) => live && setFailed(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [editor, p.mediaId]);
  return (
    <li className="reference-thumb">
      {url ? (
        <img src={url} alt={p.label} />
      ) : (
        <span className="muted small" role="img" aria-label={p.label} title={failed}>
          {failed ? 'missing' : '…'}
        </span>
      )}
      <button type="button" className="mini danger" aria-label={`Remove ${p.label}`} onClick={p.onRemove}>
        ✕
      </button>
    </li>
  );
}

export function ReferenceImages(p: { character: Character }) {
  const editor = useEditor();
  const c = p.character;
  const picker = useRef<HTMLInputElement>(null);
  const refs = c.references ?? [];
  const [busy, setBusy] = useState(false);
  const add = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    try {
      for (const f of [...files].slice(0, MAX_CHARACTER_REFERENCES - refs.length)) await editor.addReferenceImage(c.id, f);
    } finally {
      setBusy(false);
      if (picker.current) picker.current.value = '';
    }
  };
  return (
    <div className="cast-row reference-row">
      <span className="small muted">References</span>
      <ul className="reference-thumbs" aria-label={`Reference images of ${c.name}`}>
        {refs.map((id, i) => (
          <Thumb
            key={id}
            mediaId={id}
            label={`Reference image ${i + 1} of ${c.name}`}
            onRemove={() =>
              void editor.apply({ type: 'character.removeReference', characterId: c.id, mediaId: id }, 'Remove reference image')
            }
          />
        ))}
      </ul>
      <button
        type="button"
        disabled={busy || refs.length >= MAX_CHARACTER_REFERENCES}
        onClick={() => picker.current?.click()}
        title="PNG, JPEG or WebP pictures of the character, for backends that take reference images (Veo)"
      >
        {busy ? 'Adding…' : '+ Image'}
      </button>
      <input
        ref={picker}
        type="file"
        accept="image/png,image/jpeg,image/webp"
        multiple
        hidden
        aria-label={`Add reference images of ${c.name}`}
        onChange={(e) => void add(e.target.files)}
      />
    </div>
  );
}
