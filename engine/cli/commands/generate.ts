import { generateShots } from '../../jobs/generate-shots.js';
import type { Job } from '../../jobs/job.js';
import { allShots } from '../../model/lookup.js';
import { loadProject } from '../../model/project-file.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';
import { createProgress } from '../progress.js';

export function jobSummary(j: Job): Record<string, unknown> {
  return {
    id: j.id, shotId: j.shotId, state: j.state, backend: j.backend, fromCache: j.fromCache, attempts: j.attempts,
    ...(j.takeId ? { takeId: j.takeId } : {}), ...(j.fallbackReason ? { fallbackReason: j.fallbackReason } : {}),
    ...(j.error ? { error: j.error } : {}),
  };
}

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'generate takes for shots through the job queue (cached and queued shots are not generated again)',
  usage: 'klappe generate PROJECT [--shot ID]… [--backend ID] [--select]',
  details: [
    'Without --shot, every shot of the project. The router picks the backend: --backend, else the shot\'s own,',
    'else a local model, else a configured cloud service (veo, comfyui), else the embedded one.',
    'Jobs are stored before they start: after a crash, run the same command again to resume them.',
    'Ctrl-C cancels the running jobs. See `klappe jobs list`.',
  ],
  options: {
    shot: { type: 'string', multiple: true },
    backend: { type: 'string' },
    select: { type: 'boolean', default: false },
  },
  async run(parsed, io) {
    const projectPath = requirePositional(parsed, 0, 'PROJECT', this.usage);
    const loaded = loadProject(projectPath);
    const wanted = parsed.values.shot as string[] | undefined;
    const shotIds = wanted?.length ? wanted : allShots(loaded.doc).map((s) => s.shot.id);
    const progress = createProgress(io, parsed.json);
    const total = new Map<string, number>();
    let current = '';
    const result = await generateShots(loaded.file, shotIds, {
      backendId: stringOption(parsed, 'backend'),
      select: parsed.values.select === true,
      signal: io.signal,
      onEvent: (e) => {
        const j = e.job;
        total.set(j.id, j.progress);
        const label = `shot ${j.shotId} (${j.backend})`;
        if (e.type === 'job.started' || (e.type === 'job.progress' && current !== j.id)) {
          current = j.id;
          progress.stage(`${label}: ${j.stage || 'starting'}`);
        }
        if (e.type === 'job.progress') progress.update(j.progress, j.etaSeconds);
        if (e.type === 'job.failed' && !parsed.json) { progress.done(); io.err(`${label}: failed: ${j.error?.message ?? ''}`); }
        if (e.type === 'job.cancelled' && !parsed.json) { progress.done(); io.err(`${label}: cancelled`); }
      },
    });
    progress.done();
    const summary = {
      ok: result.failed.length === 0 && result.cancelled.length === 0,
      project: loaded.file,
      generated: result.generated.length,
      fromCache: result.jobs.filter((j) => j.fromCache).length,
      failed: result.failed.length,
      cancelled: result.cancelled.length,
      jobs: result.jobs.map(jobSummary),
    };
    if (parsed.json) io.out(JSON.stringify(summary, null, 2));
    else {
      for (const j of result.jobs) {
        const what = j.state === 'succeeded' ? (j.fromCache ? `cached take ${j.takeId}` : `take ${j.takeId}`) : j.state;
        io.out(`${j.shotId.padEnd(12)} ${j.backend.padEnd(8)} ${what}${j.fallbackReason ? `  (fallback: ${j.fallbackReason})` : ''}${j.error ? `: ${j.error.message}` : ''}`);
        if (j.error?.hint) io.out(`${''.padEnd(22)}hint: ${j.error.hint}`);
      }
      io.out(`${summary.generated} generated, ${summary.fromCache} from cache, ${summary.failed} failed, ${summary.cancelled} cancelled`);
    }
    if (result.cancelled.length) return 130;
    if (result.failed.length) return result.failed.every((j) => j.error?.kind === 'input') ? 2 : 1;
    return 0;
  },
};
