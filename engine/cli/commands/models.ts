import { inputError } from '../../common/errors.js';
import { formatBytes } from '../../common/format-bytes.js';
import { displayUrl, installPack } from '../../inference/pack-install.js';
import { importPack } from '../../inference/pack-import.js';
import { PIPELINE_KINDS, listModelPacks, packBytes, type PipelineKind } from '../../inference/pack-manifest.js';
import { removePack, verifyPack } from '../../inference/pack-verify.js';
import { modelPacksRoot } from '../../api/model-packs.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';
import { createProgress } from '../progress.js';

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'local model packs: list, install (download with resume), import a converted folder, verify, remove',
  usage: 'klappe models list | install URL | import DIR [--kind KIND] [--id ID] | verify ID | remove ID  [--dir FOLDER]',
  details: [
    'Packs live in the local model folder: --dir, else Settings → Local model folder, else KLAPPE_MODEL_DIR, else DATA/models.',
    'install URL: the URL (or path) of a klappe-pack.json; every file is downloaded with HTTP Range resume, its size and',
    'sha256 checked, and the pack moved into place only when all are good. Run it again after an interruption to resume.',
    `import DIR: adopts ONNX graphs you converted (Wan 2.1: text_encoder/, transformer/, vae_decoder/, tokenizer/); every`,
    `graph's inputs and outputs are checked first. --kind ${PIPELINE_KINDS.join('|')} when the layout is not recognised;`,
    '--id, --version, --licence name the pack; --force replaces an installed pack of the same id.',
    'verify ID re-hashes every file against the manifest (exit 1 when one differs).',
  ],
  options: {
    dir: { type: 'string' },
    kind: { type: 'string' },
    id: { type: 'string' },
    version: { type: 'string' },
    licence: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
  async run(parsed, io) {
    const sub = requirePositional(parsed, 0, 'list|install|import|verify|remove', this.usage);
    const root = modelPacksRoot(stringOption(parsed, 'dir'));
    const progress = createProgress(io, parsed.json);
    if (sub === 'list') {
      const packs = listModelPacks(root);
      if (parsed.json)
        io.out(
          JSON.stringify(
            {
              root,
              packs: packs.map((p) =>
                p.ok
                  ? {
                      folder: p.folder,
                      ok: true,
                      id: p.manifest.id,
                      version: p.manifest.version,
                      pipeline: p.manifest.pipeline,
                      bytes: packBytes(p.manifest),
                      licence: p.manifest.licence,
                    }
                  : { folder: p.folder, ok: false, error: p.error.toJSON() },
              ),
            },
            null,
            2,
          ),
        );
      else {
        io.out(`local model folder ${root}`);
        if (!packs.length) io.out('  no packs installed (klappe models install URL, or klappe models import DIR)');
        for (const p of packs)
          io.out(
            p.ok
              ? `  ${p.manifest.id}  ${p.manifest.version}  ${p.manifest.pipeline}  ${formatBytes(packBytes(p.manifest))}  ${p.manifest.licence}`
              : `  ${p.folder}  damaged: ${p.error.message}`,
          );
      }
      return 0;
    }
    if (sub === 'install') {
      const url = requirePositional(parsed, 1, 'URL', this.usage);
      progress.stage(`installing ${displayUrl(url)}`);
      const r = await installPack(url, {
        root,
        signal: io.signal,
        force: parsed.values.force === true,
        onProgress: (p) => progress.update(p.totalBytes ? p.doneBytes / p.totalBytes : 1, p.etaSeconds),
      });
      progress.done();
      if (parsed.json)
        io.out(
          JSON.stringify(
            {
              ok: true,
              id: r.manifest.id,
              version: r.manifest.version,
              dir: r.dir,
              downloadedBytes: r.downloadedBytes,
              resumedBytes: r.resumedBytes,
              alreadyInstalled: r.alreadyInstalled,
            },
            null,
            2,
          ),
        );
      else if (r.alreadyInstalled) io.out(`${r.manifest.id} ${r.manifest.version} is already installed in ${r.dir}`);
      else
        io.out(
          `installed ${r.manifest.id} ${r.manifest.version} (${r.manifest.pipeline}, ${formatBytes(packBytes(r.manifest))}) in ${r.dir}${r.resumedBytes ? `; resumed ${formatBytes(r.resumedBytes)} from an earlier download` : ''}`,
        );
      return 0;
    }
    if (sub === 'import') {
      const dir = requirePositional(parsed, 1, 'DIR', this.usage);
      const kind = stringOption(parsed, 'kind');
      if (kind !== undefined && !(PIPELINE_KINDS as readonly string[]).includes(kind))
        throw inputError('BAD_ARGUMENTS', `--kind ${kind} is not a pipeline kind`, {
          path: '--kind',
          hint: `One of ${PIPELINE_KINDS.join(', ')}.`,
        });
      progress.stage(`importing ${dir}`);
      const r = await importPack(dir, {
        root,
        ...(kind ? { kind: kind as PipelineKind } : {}),
        ...(stringOption(parsed, 'id') ? { id: stringOption(parsed, 'id')! } : {}),
        ...(stringOption(parsed, 'version') ? { version: stringOption(parsed, 'version')! } : {}),
        ...(stringOption(parsed, 'licence') ? { licence: stringOption(parsed, 'licence')! } : {}),
        force: parsed.values.force === true,
        onProgress: (done, total) => progress.update(total ? done / total : 1),
      });
      progress.done();
      if (parsed.json)
        io.out(
          JSON.stringify({ ok: true, id: r.manifest.id, dir: r.dir, pipeline: r.manifest.pipeline, signatures: r.signatures }, null, 2),
        );
      else {
        io.out(
          `imported ${r.manifest.id} (${r.manifest.pipeline}, ${r.manifest.files.length} files, ${formatBytes(packBytes(r.manifest))}) into ${r.dir}`,
        );
        for (const [graph, sig] of Object.entries(r.signatures))
          io.out(
            `  ${graph}: ${sig.inputs.map((v) => `${v.name}:${v.type}[${(v.shape ?? []).join(',')}]`).join(' ')} → ${sig.outputs.map((v) => `${v.name}:${v.type}[${(v.shape ?? []).join(',')}]`).join(' ')}`,
          );
      }
      return 0;
    }
    if (sub === 'verify') {
      const id = requirePositional(parsed, 1, 'ID', this.usage);
      progress.stage(`verifying ${id}`);
      const r = await verifyPack(root, id, (_p, i, n) => progress.update(i / n));
      progress.done();
      if (parsed.json)
        io.out(
          JSON.stringify({ ok: r.problems.length === 0, id, dir: r.dir, files: r.manifest.files.length, problems: r.problems }, null, 2),
        );
      else if (!r.problems.length) io.out(`${id}: all ${r.manifest.files.length} files match the manifest`);
      else {
        io.out(`${id}: ${r.problems.length} of ${r.manifest.files.length} files do not match the manifest`);
        for (const p of r.problems)
          io.out(
            `  ${p.path}: ${p.problem === 'sha256' ? `sha256 ${p.actual.slice(0, 16)}…, expected ${p.expected.slice(0, 16)}…` : `${p.actual}, expected ${p.expected}`}`,
          );
        io.out(`Install the pack again to repair it (klappe models install URL --force).`);
      }
      return r.problems.length ? 1 : 0;
    }
    if (sub === 'remove') {
      const id = requirePositional(parsed, 1, 'ID', this.usage);
      const dir = removePack(root, id);
      io.out(parsed.json ? JSON.stringify({ ok: true, id, dir }) : `removed ${id} (${dir})`);
      return 0;
    }
    throw inputError('BAD_ARGUMENTS', `unknown models command ${sub}`, { hint: `Usage: ${this.usage}` });
  },
};
