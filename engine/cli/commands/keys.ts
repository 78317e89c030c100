import { inputError } from '../../common/errors.js';
import { parseSecretName, secretStore, SECRET_ENV, SECRET_NAMES } from '../../secrets/secret-store.js';
import { requirePositional, type CliCommand } from '../command.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

export const keysCommand: CliCommand = {
  name: 'keys',
  summary: 'store API keys and service addresses (never printed)',
  usage: 'klappe keys set gemini|comfyui < FILE | klappe keys show | klappe keys delete NAME',
  details: [
    'set reads the value from stdin (never from the command line, where other users could see it)',
    'and stores it in a 0600 file in the config folder. Environment variables win over the file:',
    ...SECRET_NAMES.map((n) => `  ${n}: ${SECRET_ENV[n]}`),
    'show says which are set and where from, never the values.',
  ],
  options: {},
  async run(parsed, io) {
    const sub = requirePositional(parsed, 0, 'set|show|delete', this.usage);
    const store = secretStore();
    if (sub === 'show') {
      const rows = SECRET_NAMES.map((n) => ({ name: n, set: !!store.get(n), source: store.source(n) ?? null }));
      if (parsed.json) io.out(JSON.stringify({ ok: true, keys: rows }, null, 2));
      else for (const r of rows) io.out(`${r.name.padEnd(8)} ${r.set ? `set (${r.source})` : 'not set'}`);
      return 0;
    }
    const name = parseSecretName(requirePositional(parsed, 1, 'NAME', this.usage));
    if (sub === 'set') {
      if (process.stdin.isTTY) io.err(`Paste the ${name} value and press Ctrl-D:`);
      const value = await readStdin();
      if (!value)
        throw inputError('EMPTY_SECRET', `no value for ${name} on stdin`, {
          path: 'stdin',
          hint: `Example: klappe keys set ${name} < key.txt`,
        });
      if (name === 'comfyui' && !/^https?:\/\//.test(value))
        throw inputError('BAD_COMFYUI_URL', 'the ComfyUI address must start with http:// or https://', { path: 'stdin' });
      store.set(name, value);
      io.out(parsed.json ? JSON.stringify({ ok: true, name, source: store.source(name) }) : `${name} stored (${store.source(name)})`);
      return 0;
    }
    if (sub === 'delete') {
      store.delete(name);
      io.out(parsed.json ? JSON.stringify({ ok: true, name }) : `${name} deleted`);
      return 0;
    }
    throw inputError('BAD_ARGUMENTS', `unknown keys subcommand "${sub}"`, { path: 'SUBCOMMAND', hint: `Usage: ${this.usage}` });
  },
};
