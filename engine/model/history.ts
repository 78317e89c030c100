/**
 * Undo/redo over `applyCommand`: one entry per user gesture. Pure data; the UI
 * store and the host keep one of these per open project.
 */
import { applyCommand, applyDocPatches, type Patch } from './commands/index.js';
import type { Project } from './schema.js';

export interface HistoryEntry {
  label: string;
  patches: Patch[];
  inversePatches: Patch[];
}

export interface History {
  doc: Project;
  past: HistoryEntry[];
  future: HistoryEntry[];
}

export const HISTORY_LIMIT = 500;

export function createHistory(doc: Project): History {
  return { doc, past: [], future: [] };
}

/** Applies one or more commands as a single undoable step. */
export function execute(h: History, commands: unknown[] | unknown, label?: string): History {
  const list = Array.isArray(commands) ? commands : [commands];
  let doc = h.doc;
  const patches: Patch[] = [];
  const inverse: Patch[] = [];
  let lastLabel = '';
  for (const c of list) {
    const r = applyCommand(doc, c);
    doc = r.doc;
    patches.push(...r.patches);
    inverse.unshift(...r.inversePatches);
    lastLabel = r.label;
  }
  if (!patches.length) return h;
  const past = [...h.past, { label: label ?? lastLabel, patches, inversePatches: inverse }].slice(-HISTORY_LIMIT);
  return { doc, past, future: [] };
}

export function undo(h: History): History {
  const entry = h.past[h.past.length - 1];
  if (!entry) return h;
  return { doc: applyDocPatches(h.doc, entry.inversePatches), past: h.past.slice(0, -1), future: [entry, ...h.future] };
}

export function redo(h: History): History {
  const entry = h.future[0];
  if (!entry) return h;
  return { doc: applyDocPatches(h.doc, entry.patches), past: [...h.past, entry], future: h.future.slice(1) };
}
