/**
 * `applyCommand(doc, command) → {doc, patches, inverse}`.
 * Every edit of a project goes through here: the CLI, the UI, the HTTP API and
 * tests. Undo is the inverse Immer patches; redo re-applies the patches.
 * The commands themselves, their schemas and their typed union are in registry.ts.
 */
import { applyPatches, enablePatches, produceWithPatches, type Patch } from 'immer';
import { inputError } from '../../common/errors.js';
import type { Project } from '../schema.js';
import { commandDef, parseCommand } from './registry.js';
import { changeIssues } from './validate-change.js';

export { COMMAND_TYPES, CommandSchema, parseCommand, type Command, type CommandInput, type CommandType } from './registry.js';

enablePatches();

export interface Applied {
  doc: Project;
  /** Forward patches (redo). */
  patches: Patch[];
  /** Inverse patches (undo). */
  inversePatches: Patch[];
  label: string;
}

/** Applies one command; the input document is never changed. Throws KlappeError if it does not fit. */
export function applyCommand(doc: Project, input: unknown): Applied {
  const cmd = parseCommand(input);
  const def = commandDef(cmd.type);
  const [next, patches, inversePatches] = produceWithPatches(doc, (draft) => {
    def.perform(draft as Project, cmd);
  });
  if (patches.length) {
    const issues = changeIssues(next, patches);
    if (issues.length) {
      throw inputError('COMMAND_REJECTED', `${cmd.type} would make the project invalid: ${issues[0]!.path}: ${issues[0]!.message}`, {
        path: issues[0]!.path,
        issues,
      });
    }
  }
  return { doc: next, patches, inversePatches, label: def.label };
}

/** Applies a list of patches (from `Applied`) — undo with inversePatches, redo with patches. */
export function applyDocPatches(doc: Project, patches: Patch[]): Project {
  return applyPatches(doc, patches);
}

export type { Patch };
