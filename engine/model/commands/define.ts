/** How a document command is declared: a zod schema for its input and a perform that edits an Immer draft. */
import { current, isDraft } from 'immer';
import { z } from 'zod';
import { inputError } from '../../common/errors.js';
import type { Project } from '../schema.js';

export interface CommandDef<S extends z.ZodType<{ type: string }>> {
  type: string;
  schema: S;
  /** Human label for the history ("Move clip"). */
  label: string;
  /** Edits the draft in place; throws KlappeError for a command that does not fit the document. */
  perform(draft: Project, cmd: z.infer<S>): void;
}

export function defineCommand<S extends z.ZodType<{ type: string }>>(def: CommandDef<S>): CommandDef<S> {
  return def;
}

export function notFound(what: string, idValue: string, path: string): never {
  throw inputError('NOT_FOUND', `no ${what} with id "${idValue}"`, { path });
}

type PatchShape<S extends z.ZodRawShape> = {
  [K in keyof S]: z.ZodOptional<S[K] extends z.ZodDefault<infer Inner> | z.ZodPrefault<infer Inner> ? Inner : S[K]>;
};

/**
 * The schema of an update's patch: every field optional and without its
 * default (or prefault). (zod 4's `.partial()` keeps defaults, so a patch naming one field
 * would come back with every defaulted field reset: `{ camera }` would clear
 * a shot's name, action and characters.)
 */
export function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>): z.ZodObject<PatchShape<S>> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([k, v]) => [
      k,
      z.optional(v instanceof z.ZodDefault || v instanceof z.ZodPrefault ? (v.unwrap() as z.ZodType) : (v as z.ZodType)),
    ]),
  );
  return z.object(shape) as unknown as z.ZodObject<PatchShape<S>>;
}

/** Shallow merge of a patch onto an object, ignoring undefined values. */
export function assignDefined<T extends object>(target: T, patch: Partial<T>): void {
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) (target as Record<string, unknown>)[k] = v;
}

/** A plain deep copy of a value that may be an Immer draft. */
export function cloneDraft<T>(value: T): T {
  return structuredClone(isDraft(value) ? (current(value as object) as T) : value);
}

/** Removes the item with `id` from `list` (in place); NOT_FOUND naming `what` and `path` when absent. */
export function removeById<T extends { id: string }>(list: T[], id: string, what: string, path: string): T {
  const i = list.findIndex((x) => x.id === id);
  if (i < 0) notFound(what, id, path);
  return list.splice(i, 1)[0]!;
}
