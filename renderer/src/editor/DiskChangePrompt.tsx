/** The question after another program changed the open project's file: take its version, or keep this one and overwrite it. */
import { useSyncExternalStore } from 'react';
import { Dialog } from '../components/Dialog.js';
import { useEditor } from './context.js';

export function DiskChangePrompt() {
  const editor = useEditor();
  const file = useSyncExternalStore(editor.diskChange.subscribe, editor.diskChange.current);
  if (file === null) return null;
  return (
    <Dialog title="Changed by another program" onClose={() => editor.diskChange.clear()}>
      <p>
        Another program changed <code>{file}</code> while it is open here. Saving would overwrite that change, so Klappe asks first.
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={() => void editor.reloadFromDisk()}>
          Reload theirs
        </button>
        <button type="button" className="primary danger" onClick={() => void editor.keepMine()}>
          Keep mine (overwrite)
        </button>
      </div>
    </Dialog>
  );
}
