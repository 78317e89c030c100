import { ApiKeyStore } from '../../host/videos-api/api-keys.js';
import { inputError } from '../../common/errors.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';

export const apiKeysCommand: CliCommand = {
  name: 'api-keys',
  summary: 'keys for the local /v1 videos API (klappe serve --api)',
  usage: 'klappe api-keys create [--name NAME] | list | revoke ID',
  details: [
    'create prints a new key once (with --json: {"id","key"}); only its sha256 is stored, in api-keys.json in the',
    'config folder (0600). Clients send it as "Authorization: Bearer KEY". revoke stops a key at once.',
  ],
  options: { name: { type: 'string' } },
  async run(parsed, io) {
    const sub = requirePositional(parsed, 0, 'create|list|revoke', this.usage);
    const store = new ApiKeyStore();
    if (sub === 'create') {
      const { id, key } = store.create(stringOption(parsed, 'name') ?? '');
      if (parsed.json) io.out(JSON.stringify({ id, key }));
      else {
        io.out(key);
        io.err(`API key ${id} created. It is shown only now: keep it somewhere safe.`);
      }
      return 0;
    }
    if (sub === 'list') {
      const keys = store.list();
      if (parsed.json) io.out(JSON.stringify({ ok: true, keys }, null, 2));
      else if (!keys.length) io.out('no API keys (klappe api-keys create)');
      else
        for (const k of keys)
          io.out(
            `${k.id}  ${k.prefix}…  ${k.createdAt}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}${k.name ? `  ${k.name}` : ''}`,
          );
      return 0;
    }
    if (sub === 'revoke') {
      const info = store.revoke(requirePositional(parsed, 1, 'ID', this.usage));
      io.out(parsed.json ? JSON.stringify({ ok: true, id: info.id, revokedAt: info.revokedAt }) : `${info.id} revoked`);
      return 0;
    }
    throw inputError('BAD_ARGUMENTS', `unknown api-keys subcommand "${sub}"`, { path: 'SUBCOMMAND', hint: `Usage: ${this.usage}` });
  },
};
