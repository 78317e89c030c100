import { generateInSession } from '../../api/session-jobs.js';
import type { GenerateShotsResult } from '../../jobs/generate-shots.js';
import type { Job, JobEvent } from '../../jobs/job.js';
import { SettingsStore } from '../../api/settings-store.js';
import { localModelProbe } from '../../generate/local-models.js';
import { JobQueue } from '../../jobs/queue.js';
import { checkBudget, estimateRun } from '../../jobs/run-cost.js';
import { allShots } from '../../model/lookup.js';
import { projectFilePath } from '../../model/project-file.js';
import { requirePositional, stringOption, type CliCommand, type CliIO } from '../command.js';
import { openProject, WAIT_HELP, WAIT_OPTION, type OpenedProject } from '../open-project.js';
import { createProgress } from '../progress.js';

export function jobSummary(j: Job): Record<string, unknown> {
  return {
    id: j.id,
    shotId: j.shotId,
    state: j.state,
    backend: j.backend,
    fromCache: j.fromCache,
    attempts: j.attempts,
    ...(j.takeId ? { takeId: j.takeId } : {}),
    ...(j.fallbackReason ? { fallbackReason: j.fallbackReason } : {}),
    ...(j.error ? { error: j.error } : {}),
  };
}

export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'generate takes for shots through the job queue (cached and queued shots are not generated again)',
  usage: 'klappe generate PROJECT [--shot ID]… [--backend ID] [--select] [--over-budget] [--wait SECONDS]',
  details: [
    "Without --shot, every shot of the project. The router picks the backend: --backend, else the shot's own,",
    'else a local model, else a configured cloud service (veo, comfyui), else the embedded one.',
    'Jobs are stored before they start: after a crash, run the same command again to resume them.',
    'Ctrl-C cancels the running jobs. See `klappe jobs list`.',
    'A run that would take the project over its budget (klappe cost --budget) is refused unless --over-budget.',
    'When the project is open in a studio that serves it, the studio runs the jobs and keeps the takes (save them there).',
    WAIT_HELP,
  ],
  options: {
    shot: { type: 'string', multiple: true },
    backend: { type: 'string' },
    select: { type: 'boolean', default: false },
    'over-budget': { type: 'boolean', default: false },
    ...WAIT_OPTION,
  },
  async run(parsed, io) {
    const projectPath = requirePositional(parsed, 0, 'PROJECT', this.usage);
    const wanted = parsed.values.shot as string[] | undefined;
    const backendId = stringOption(parsed, 'backend');
    const select = parsed.values.select === true;
    const overBudget = parsed.values['over-budget'] === true;
    const progress = createProgress(io, parsed.json);
    const total = new Map<string, number>();
    let current = '';
    const onEvent = (e: JobEvent) => {
      const j = e.job;
      total.set(j.id, j.progress);
      const label = `shot ${j.shotId} (${j.backend})`;
      if (e.type === 'job.started' || (e.type === 'job.progress' && current !== j.id)) {
        current = j.id;
        progress.stage(`${label}: ${j.stage || 'starting'}`);
      }
      if (e.type === 'job.progress') progress.update(j.progress, j.etaSeconds);
      if (e.type === 'job.failed' && !parsed.json) {
        progress.done();
        io.err(`${label}: failed: ${j.error?.message ?? ''}`);
      }
      if (e.type === 'job.cancelled' && !parsed.json) {
        progress.done();
        io.err(`${label}: cancelled`);
      }
    };
    // a second generate waits for the jobs another process is running for this project (then finds their takes)
    const jobs = new JobQueue();
    const project = await openProject(projectPath, parsed, io, {
      ownerBusy: (owner) => runningJobsOf(jobs, projectFilePath(projectPath), owner.pid),
    });
    await jobs.stop();
    let result: GenerateShotsResult;
    try {
      if (project.kind === 'local') {
        const s = project.session;
        const shotIds = wanted?.length ? wanted : allShots(s.doc).map((x) => x.shot.id);
        const settings = new SettingsStore().plain();
        // local model packs in the folder of the settings (else KLAPPE_MODEL_DIR, else <data>/models)
        const local = localModelProbe(() => settings.localModelDir);
        checkBudget(
          estimateRun(
            s.doc,
            shotIds,
            { ...(backendId ? { backendId } : {}), projectDir: s.dir },
            { timings: jobs.timings, prices: settings.prices, local },
          ),
          {
            overBudget,
            file: s.file,
          },
        );
        // each recorded take is saved at once, so a crash loses none
        result = await generateInSession(s, shotIds, {
          backendId,
          select,
          signal: io.signal,
          queueOptions: { prices: () => settings.prices, local },
          onEvent: (e) => {
            if (e.type === 'job.done' && s.state().dirty) s.save();
            onEvent(e);
          },
        });
        if (s.state().dirty) s.save();
      } else {
        result = await generateThroughOwner(project, wanted, { backendId, select, overBudget }, io, onEvent);
      }
    } finally {
      project.close();
    }
    progress.done();
    const summary = {
      ok: result.failed.length === 0 && result.cancelled.length === 0,
      project: project.file,
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
        io.out(
          `${j.shotId.padEnd(12)} ${j.backend.padEnd(8)} ${what}${j.fallbackReason ? `  (fallback: ${j.fallbackReason})` : ''}${j.error ? `: ${j.error.message}` : ''}`,
        );
        if (j.error?.hint) io.out(`${''.padEnd(22)}hint: ${j.error.hint}`);
      }
      io.out(`${summary.generated} generated, ${summary.fromCache} from cache, ${summary.failed} failed, ${summary.cancelled} cancelled`);
    }
    if (result.cancelled.length) return 130;
    if (result.failed.length) return result.failed.every((j) => j.error?.kind === 'input') ? 2 : 1;
    return 0;
  },
};

/** The owner of the project (a studio serving it) runs the jobs and records the takes; this follows them in the shared job table. */
async function generateThroughOwner(
  project: Extract<OpenedProject, { kind: 'remote' }>,
  wanted: string[] | undefined,
  opts: { backendId?: string; select: boolean; overBudget: boolean },
  io: CliIO,
  onEvent: (e: JobEvent) => void,
): Promise<GenerateShotsResult> {
  const { client } = project;
  const state = await client.call('project.get');
  const shotIds = wanted?.length ? wanted : state ? allShots(state.doc).map((x) => x.shot.id) : [];
  const { jobIds } = await client.call('generate.enqueue', {
    shotIds,
    ...(opts.backendId ? { backend: opts.backendId } : {}),
    ...(opts.overBudget ? { overBudget: true } : {}),
  });
  const queue = new JobQueue();
  const offProgress = client.on('job.progress', (info) => {
    const job = jobIds.includes(info.id) ? queue.get(info.id) : undefined;
    if (job) onEvent({ type: job.state === 'running' ? 'job.progress' : 'job.queued', job });
  });
  const onAbort = () => {
    for (const id of jobIds) void client.call('generate.cancel', { jobId: id }).catch(() => {});
  };
  io.signal.addEventListener('abort', onAbort, { once: true });
  let jobs: Job[];
  try {
    jobs = await queue.waitFor(jobIds);
  } finally {
    io.signal.removeEventListener('abort', onAbort);
    offProgress();
    await queue.stop();
  }
  for (const j of jobs)
    if (j.state === 'failed' || j.state === 'cancelled') onEvent({ type: j.state === 'failed' ? 'job.failed' : 'job.cancelled', job: j });
  if (opts.select) {
    const picks = jobs
      .filter((j) => j.state === 'succeeded' && j.takeId)
      .map((j) => ({ type: 'take.select', shotId: j.shotId, takeId: j.takeId }));
    if (picks.length) await client.call('project.apply', { commands: picks, label: 'Select takes' });
  }
  return {
    jobs,
    generated: jobs.filter((j) => j.state === 'succeeded' && !j.fromCache),
    failed: jobs.filter((j) => j.state === 'failed'),
    cancelled: jobs.filter((j) => j.state === 'cancelled'),
  };
}

/** "runs N jobs" when the process `pid` is running jobs of the project. */
function runningJobsOf(queue: JobQueue, file: string, pid: number): string | undefined {
  const n = queue.list({ state: 'running', limit: 10_000 }).filter((j) => j.projectFile === file && j.ownerPid === pid).length;
  return n ? `runs ${n} of its job${n > 1 ? 's' : ''}` : undefined;
}
