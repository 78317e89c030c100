import { inputError } from '../../common/errors.js';
import { displayUrl, FARM_ENV, FarmConfig } from '../../generate/cloud/farm-config.js';
import { probeServer, type ServerReport } from '../../generate/cloud/farm-health.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

const gib = (bytes: number | undefined) => (bytes === undefined ? '?' : `${(bytes / 2 ** 30).toFixed(1)} GiB`);

export const farmCommand: CliCommand = {
  name: 'farm',
  summary: 'the render farm: ComfyUI servers that generate shots side by side',
  usage: 'klappe farm add URL|- [--slots N] [--label NAME] | klappe farm list [--json] | klappe farm remove ID|LABEL',
  details: [
    'add stores the address as a secret (give - and pipe an address with a password on stdin, so it is not on the',
    'command line); settings keep the id, label and slots. --slots: prompts the server runs for Klappe at once (default 1).',
    `For scripts: ${FARM_ENV}=http://a:8188#slots=2&label=gpu-a,http://b:8188 (the fragment is never sent).`,
    'list probes every server (GET /system_stats, /queue): state, GPU, VRAM, queue length. Addresses show without credentials.',
    '`klappe generate PROJECT --backend comfyui` then spreads the shots over the free slots of the servers that answer.',
  ],
  options: {
    slots: { type: 'string' },
    label: { type: 'string' },
  },
  async run(parsed, io) {
    const sub = requirePositional(parsed, 0, 'add|list|remove', this.usage);
    const config = new FarmConfig();
    if (sub === 'add') {
      let url = requirePositional(parsed, 1, 'URL', this.usage);
      if (url === '-') url = await readStdin();
      const slotsText = stringOption(parsed, 'slots');
      const slots = slotsText === undefined ? undefined : Number(slotsText);
      const s = config.add(url, {
        ...(slots !== undefined ? { slots } : {}),
        ...(stringOption(parsed, 'label') ? { label: stringOption(parsed, 'label')! } : {}),
      });
      const address = displayUrl(url);
      io.out(
        parsed.json
          ? JSON.stringify({ ok: true, server: { id: s.id, label: s.label, slots: s.slots, address } })
          : `added ${s.label} (${address}, ${s.slots} slot${s.slots === 1 ? '' : 's'}) as ${s.id}`,
      );
      return 0;
    }
    if (sub === 'remove') {
      const s = config.remove(requirePositional(parsed, 1, 'ID|LABEL', this.usage));
      io.out(parsed.json ? JSON.stringify({ ok: true, removed: { id: s.id, label: s.label } }) : `removed ${s.label} (${s.id})`);
      return 0;
    }
    if (sub === 'list') {
      const servers = config.servers();
      const rows = await Promise.all(
        servers.map(async (s) => {
          let report: ServerReport | undefined;
          let error: string | undefined;
          try {
            report = await probeServer(s.url, { timeoutMs: 3000 });
          } catch (e) {
            error = (e as Error).message;
          }
          return {
            id: s.id,
            label: s.label,
            address: displayUrl(s.url),
            source: s.source,
            slots: s.slots,
            state: report ? 'up' : 'down',
            ...(report?.gpu ? { gpu: report.gpu } : {}),
            ...(report?.vramTotal !== undefined ? { vramTotal: report.vramTotal, vramFree: report.vramFree } : {}),
            ...(report ? { queue: report.queue } : {}),
            ...(error ? { error } : {}),
          };
        }),
      );
      if (parsed.json) io.out(JSON.stringify({ ok: true, servers: rows }, null, 2));
      else if (!rows.length) io.out(`no farm servers (add one: klappe farm add http://host:8188 --slots 2, or set ${FARM_ENV})`);
      else {
        for (const r of rows) {
          io.out(
            `${r.label.padEnd(14)} ${r.state.padEnd(5)} ${String(r.slots).padStart(2)} slot${r.slots === 1 ? ' ' : 's'}  ${r.address}  ${r.state === 'up' ? `${r.gpu ?? 'GPU ?'}, VRAM ${gib(r.vramFree)} free of ${gib(r.vramTotal)}, queue ${r.queue}` : r.error}  [${r.id}, ${r.source}]`,
          );
        }
        io.out(
          `${rows.filter((r) => r.state === 'up').length} of ${rows.length} up, ${rows.filter((r) => r.state === 'up').reduce((n, r) => n + r.slots, 0)} slots`,
        );
      }
      return 0;
    }
    throw inputError('BAD_ARGUMENTS', `unknown farm subcommand "${sub}"`, { path: 'SUBCOMMAND', hint: `Usage: ${this.usage}` });
  },
};
