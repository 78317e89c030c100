/**
 * The command registry and `applyCommand(doc, command) → {doc, patches, inverse}`.
 * Every edit of a project goes through here: the CLI, the UI, the HTTP API and
 * tests. Undo is the inverse Immer patches; redo re-applies the patches.
 */
import { applyPatches, enablePatches, produceWithPatches, type Patch } from 'immer';
import { z } from 'zod';
import { formatJsonPath, inputError, isKlappeError } from '../../common/errors.js';
import { validateProject } from '../project-file.js';
import type { Project } from '../schema.js';
import * as audio from './audio.js';
import * as story from './story.js';
import * as timeline from './timeline.js';

enablePatches();

const DEFS = [...Object.values(story), ...Object.values(timeline), ...Object.values(audio)];

export const CommandSchema = z.discriminatedUnion('type', [
  DEFS[0]!.schema,
  ...DEFS.slice(1).map((d) => d.schema),
] as unknown as [z.ZodObject<{ type: z.ZodLiteral<string> }>]);

/** Any command, as validated input. Narrow on `type`. */
export type Command = { type: string } & Record<string, unknown>;

export const COMMAND_TYPES: readonly string[] = DEFS.map((d) => d.type);

const BY_TYPE = new Map(DEFS.map((d) => [d.type, d]));

export interface Applied {
  doc: Project;
  /** Forward patches (redo). */
  patches: Patch[];
  /** Inverse patches (undo). */
  inversePatches: Patch[];
  label: string;
}

export function parseCommand(input: unknown): Command {
  const type = (input as { type?: unknown } | null)?.type;
  const def = typeof type === 'string' ? BY_TYPE.get(type) : undefined;
  if (!def) {
    throw inputError('UNKNOWN_COMMAND', `unknown command type ${JSON.stringify(type)}`, { path: 'type', hint: `One of: ${COMMAND_TYPES.join(', ')}` });
  }
  const parsed = def.schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw inputError('COMMAND_INVALID', `${type}: ${formatJsonPath(issue.path)}: ${issue.message}`, {
      path: formatJsonPath(issue.path),
      issues: parsed.error.issues.map((i) => ({ path: formatJsonPath(i.path), message: i.message })),
    });
  }
  return parsed.data as Command;
}

/** Applies one command; the input document is never changed. Throws KlappeError if it does not fit. */
export function applyCommand(doc: Project, input: unknown): Applied {
  const cmd = parseCommand(input);
  const def = BY_TYPE.get(cmd.type)!;
  const [next, patches, inversePatches] = produceWithPatches(doc, (draft) => {
    (def.perform as (d: Project, c: Command) => void)(draft as Project, cmd);
  });
  if (patches.length) {
    try {
      validateProject(next, 'command');
    } catch (e) {
      if (isKlappeError(e)) {
        throw inputError('COMMAND_REJECTED', `${cmd.type} would make the project invalid: ${e.issues[0]?.path}: ${e.issues[0]?.message}`, { path: e.issues[0]?.path, issues: e.issues });
      }
      throw e;
    }
  }
  return { doc: next, patches, inversePatches, label: def.label };
}

/** Applies a list of patches (from `Applied`) — undo with inversePatches, redo with patches. */
export function applyDocPatches(doc: Project, patches: Patch[]): Project {
  return applyPatches(doc, patches);
}

export type { Patch };
