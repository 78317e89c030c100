/** What a CLI command is: name, help text, options (node:util parseArgs) and run. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { inputError } from '../common/errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  isTTY: boolean;
  signal: AbortSignal;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Extra help lines after the usage. */
  details?: string[];
  options: Options;
  run(parsed: Parsed, io: CliIO): Promise<number>;
}

export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  json: boolean;
}

/** Options every command accepts. */
export const COMMON_OPTIONS: Options = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

export function parseCommandArgs(cmd: CliCommand, argv: string[]): Parsed & { help: boolean } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...COMMON_OPTIONS, ...cmd.options },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Parsed['values'], positionals, json: values.json === true, help: values.help === true };
  } catch (e) {
    throw inputError('BAD_ARGUMENTS', `klappe ${cmd.name}: ${(e as Error).message}`, { hint: `Usage: ${cmd.usage}` });
  }
}

export function requirePositional(parsed: Parsed, index: number, name: string, usage: string): string {
  const v = parsed.positionals[index];
  if (!v) throw inputError('BAD_ARGUMENTS', `missing ${name}`, { path: name, hint: `Usage: ${usage}` });
  return v;
}

export function stringOption(parsed: Parsed, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function helpText(cmd: CliCommand): string {
  const lines = [`klappe ${cmd.name}: ${cmd.summary}`, '', `Usage: ${cmd.usage}`];
  if (cmd.details?.length) lines.push('', ...cmd.details);
  lines.push('', 'Common options:', '  --json       machine-readable output on stdout', '  -h, --help   this help');
  return lines.join('\n');
}
