/**
 * The command registry: every command's zod schema by its `type`, and the
 * typed union they make. Browser-safe (zod and the schema only), so the api
 * contract can name `CommandInput` for the renderer as a type.
 */
import { z } from 'zod';
import { formatJsonPath, inputError } from '../../common/errors.js';
import * as audio from './audio.js';
import * as cameo from './cameo.js';
import type { CommandDef } from './define.js';
import * as staging from './staging.js';
import * as story from './story.js';
import * as timeline from './timeline.js';

type AnyDef =
  | (typeof story)[keyof typeof story]
  | (typeof timeline)[keyof typeof timeline]
  | (typeof audio)[keyof typeof audio]
  | (typeof staging)[keyof typeof staging]
  | (typeof cameo)[keyof typeof cameo];
type SchemaOf<D> = D extends CommandDef<infer S> ? S : never;

/** A command as callers write it (fields with defaults may be left out). Narrow on `type`. */
export type CommandInput = z.input<SchemaOf<AnyDef>>;
/** A command as validated (defaults filled in). Narrow on `type`. */
export type Command = z.output<SchemaOf<AnyDef>>;
export type CommandType = Command['type'];

const DEFS = [
  ...Object.values(story),
  ...Object.values(timeline),
  ...Object.values(audio),
  ...Object.values(staging),
  ...Object.values(cameo),
] as unknown as Array<CommandDef<z.ZodType<Command, CommandInput>>>;

export const COMMAND_TYPES: readonly CommandType[] = DEFS.map((d) => d.type as CommandType);

const BY_TYPE = new Map<string, CommandDef<z.ZodType<Command, CommandInput>>>(DEFS.map((d) => [d.type, d]));

/** Every command's schema, discriminated on `type`. */
export const CommandSchema = z.discriminatedUnion(
  'type',
  DEFS.map((d) => d.schema) as unknown as [z.ZodObject<{ type: z.ZodLiteral<string> }>],
) as unknown as z.ZodType<Command, CommandInput>;

/** The definition of a command type (its schema, label and perform); UNKNOWN_COMMAND naming the type and listing the known ones. */
export function commandDef(type: unknown, path = 'type'): CommandDef<z.ZodType<Command, CommandInput>> {
  const def = typeof type === 'string' ? BY_TYPE.get(type) : undefined;
  if (!def) {
    throw inputError('UNKNOWN_COMMAND', `unknown command type ${JSON.stringify(type)}`, {
      path,
      hint: `One of: ${COMMAND_TYPES.join(', ')}`,
    });
  }
  return def;
}

/** Validates one command against its type's schema; errors name the command type and the field. */
export function parseCommand(input: unknown): Command {
  const type = (input as { type?: unknown } | null)?.type;
  commandDef(type);
  const parsed = CommandSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw inputError('COMMAND_INVALID', `${String(type)}: ${formatJsonPath(issue.path)}: ${issue.message}`, {
      path: formatJsonPath(issue.path),
      issues: parsed.error.issues.map((i) => ({ path: formatJsonPath(i.path), message: i.message })),
    });
  }
  return parsed.data;
}
