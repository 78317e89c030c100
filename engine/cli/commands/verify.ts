import { resolve } from 'node:path';
import { verifyFile } from '../../provenance/verify.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: "check a video's C2PA manifest and invisible watermark",
  usage: 'klappe verify FILE [--trust CA.pem] [--store DIR] [--no-watermark] [--json]',
  details: [
    'Reports whether a C2PA manifest is present and its state: valid, trusted (with --trust, the signer chains to one of the PEM anchors) or invalid with the C2PA status codes;',
    "the signer, claim generator, actions, ingredients, and the invisible watermark's export id and whether it matches the manifest.",
    'A file whose manifest was stripped (re-encoded, uploaded) is still identified by its watermark, and its manifest is recovered',
    'from the local manifest store (every signed export keeps one there): "manifest recovered from the watermark".',
    "--store DIR looks in another store (a team's shared folder holding manifests.db) instead of <data>/manifests.",
    'Your own local root CA is `klappe identity show` → rootCa. Exit status: 0 valid or trusted, 3 invalid or no provenance found.',
  ],
  options: {
    trust: { type: 'string' },
    store: { type: 'string' },
    'no-watermark': { type: 'boolean', default: false },
  },
  async run(parsed, io) {
    const file = resolve(requirePositional(parsed, 0, 'FILE', this.usage));
    const trust = stringOption(parsed, 'trust');
    const store = stringOption(parsed, 'store');
    const r = await verifyFile(file, {
      trustFile: trust ? resolve(trust) : undefined,
      ...(store ? { store: resolve(store) } : {}),
      watermark: parsed.values['no-watermark'] !== true,
      signal: io.signal,
    });
    if (parsed.json) io.out(JSON.stringify(r, null, 2));
    else {
      const m = r.recovered?.manifest ?? r.manifest;
      io.out(r.summary);
      if (r.recovered)
        io.out(
          `  manifest:        recovered from ${r.recovered.from === 'watermark' ? 'the watermark' : 'the file hash'} (${r.recovered.store})`,
        );
      if (m.present) {
        io.out(`  state:           ${m.state}${m.failures.length ? ` (${m.failures.map((f) => f.code).join(', ')})` : ''}`);
        if (m.signer)
          io.out(
            `  signer:          ${m.signer.commonName ?? '?'} (issuer ${m.signer.issuer ?? '?'})${m.signer.time ? ` at ${m.signer.time}` : ''}`,
          );
        io.out(`  claim generator: ${m.claimGenerator ?? '?'}`);
        for (const a of m.actions)
          io.out(
            `  action:          ${a.action}${a.digitalSourceType ? ` [${a.digitalSourceType.split('/').pop()}]` : ''}${a.description ? ` — ${a.description}` : ''}`,
          );
        for (const i of m.ingredients)
          io.out(
            `  ingredient:      ${i.title ?? '?'} (${i.format ?? '?'}, ${i.relationship ?? '?'})${i.manifest ? ` — own manifest ${i.state}: ${i.manifest.generator ?? i.manifest.claimGenerator ?? '?'}, signed by ${i.manifest.signer ?? '?'}` : ''}`,
          );
        if (m.klappe?.exportId) io.out(`  export id:       ${m.klappe.exportId}`);
      } else io.out('  manifest:        none');
      if (r.watermark)
        io.out(
          `  watermark:       ${r.watermark.found ? `export ${r.watermark.exportId}${r.watermark.matchesManifest === undefined ? '' : r.watermark.matchesManifest ? ' (matches the manifest)' : ' (DOES NOT match the manifest)'}` : 'not found'} — agreement ${(r.watermark.agreement * 100).toFixed(0)}% over ${r.watermark.frames} frames`,
        );
    }
    const ok = r.manifest.present
      ? r.manifest.state !== 'invalid'
      : r.recovered
        ? r.recovered.manifest.state !== 'invalid'
        : !!r.watermark?.found;
    return ok ? 0 : 3;
  },
};
