/**
 * The run estimate of the open project (every shot, its chosen backend and
 * the alternatives), asked once per document version and finished job: the
 * shot cards, the inspector and "Generate all" share one answer.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { RunEstimate } from '../../../engine/common/cost.js';
import type { Editor } from '../editor/editor.js';
import { useEditor } from '../editor/context.js';
import { useAppSelector } from '../store/store.js';

/** Bumped when something outside the document changes the estimates (the prices in Settings). */
let epoch = 0;
const epochListeners = new Set<() => void>();
const subscribeEpoch = (l: () => void) => {
  epochListeners.add(l);
  return () => {
    epochListeners.delete(l);
  };
};

/** Asks again (after the prices changed). */
export function invalidateEstimates(): void {
  epoch++;
  for (const l of epochListeners) l();
}

const asked = new WeakMap<Editor, { key: string; promise: Promise<RunEstimate | undefined> }>();

export function useRunEstimate(): RunEstimate | undefined {
  const editor = useEditor();
  const version = useAppSelector((s) => s.doc.version);
  const done = useAppSelector(
    (s) => `${s.jobs.jobs.ids.length}:${Object.values(s.jobs.jobs.entities).filter((j) => j?.status === 'done').length}`,
  );
  const priced = useSyncExternalStore(subscribeEpoch, () => epoch);
  const key = `${version}:${done}:${priced}`;
  const [estimate, setEstimate] = useState<RunEstimate>();
  useEffect(() => {
    let live = true;
    let entry = asked.get(editor);
    if (!entry || entry.key !== key) {
      entry = { key, promise: editor.estimateCost() };
      asked.set(editor, entry);
    }
    void entry.promise.then((e) => {
      if (live && e) setEstimate(e);
    });
    return () => {
      live = false;
    };
  }, [editor, key]);
  return estimate;
}
