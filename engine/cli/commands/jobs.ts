import { inputError, isKlappeError } from '../../common/errors.js';
import { JobQueue } from '../../jobs/queue.js';
import { isTerminal, type Job, type JobState } from '../../jobs/job.js';
import { sessionAccess } from '../../api/session-jobs.js';
import { openProject, WAIT_HELP, WAIT_OPTION, type OpenedProject } from '../open-project.js';
import { formatEta } from '../progress.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';
import { jobSummary } from './generate.js';

const STATES: JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

function line(j: Job): string {
  const pct = `${Math.round(j.progress * 100)}%`.padStart(4);
  const eta = j.state === 'running' && j.etaSeconds !== undefined ? ` ETA ${formatEta(j.etaSeconds)}` : '';
  const extra = j.error
    ? `  ${j.error.code}: ${j.error.message}`
    : j.fromCache
      ? '  (from cache)'
      : j.stage && j.state === 'running'
        ? `  ${j.stage}`
        : '';
  return `${j.id}  ${j.state.padEnd(9)} ${pct}${eta}  ${j.backend.padEnd(8)} shot ${j.shotId}  tries ${j.attempts}${extra}`;
}

export const jobsCommand: CliCommand = {
  name: 'jobs',
  summary: 'list, cancel or retry generation jobs',
  usage: 'klappe jobs list [--state STATE] [--limit N] | klappe jobs cancel ID | klappe jobs retry ID | klappe jobs run [--wait SECONDS]',
  details: [
    'list: newest first. States: queued, running, succeeded, failed, cancelled.',
    'cancel: stops a queued or running job (in any klappe process) within a second.',
    'retry: queues a failed or cancelled job again; run `klappe generate PROJECT` (or `klappe jobs run`) to run it.',
    'run: runs every queued job (of every project) until the queue is empty; the takes are saved in their projects',
    '(a project a studio serves runs its jobs there). ' + WAIT_HELP,
  ],
  options: {
    state: { type: 'string' },
    limit: { type: 'string' },
    ...WAIT_OPTION,
  },
  async run(parsed, io) {
    const sub = requirePositional(parsed, 0, 'list|cancel|retry|run', this.usage);
    const queue = new JobQueue();
    if (sub === 'list') {
      const state = stringOption(parsed, 'state');
      if (state && !STATES.includes(state as JobState))
        throw inputError('BAD_ARGUMENTS', `unknown state "${state}"`, { path: '--state', hint: `One of: ${STATES.join(', ')}` });
      const limit = Number(stringOption(parsed, 'limit') ?? 50);
      const jobs = queue.list({ state: state as JobState | undefined, limit: Number.isFinite(limit) && limit > 0 ? limit : 50 });
      if (parsed.json)
        io.out(
          JSON.stringify(
            {
              ok: true,
              jobs: jobs.map((j) => ({
                ...jobSummary(j),
                projectFile: j.projectFile,
                progress: j.progress,
                etaSeconds: j.etaSeconds,
                stage: j.stage,
              })),
            },
            null,
            2,
          ),
        );
      else if (!jobs.length) io.out('no jobs');
      else for (const j of jobs) io.out(line(j));
      return 0;
    }
    if (sub === 'cancel' || sub === 'retry') {
      const id = requirePositional(parsed, 1, 'ID', this.usage);
      const t0 = Date.now();
      let job = sub === 'cancel' ? queue.cancel(id) : queue.retry(id);
      if (sub === 'cancel' && !isTerminal(job.state)) {
        // Running in another process: it sees the request within a second.
        const until = Date.now() + 3000;
        while (!isTerminal(job.state) && Date.now() < until) {
          await new Promise((r) => setTimeout(r, 100));
          job = queue.get(job.id)!;
        }
      }
      const waitedMs = Date.now() - t0;
      if (parsed.json) io.out(JSON.stringify({ ok: true, job: jobSummary(job), ...(sub === 'cancel' ? { waitedMs } : {}) }, null, 2));
      else io.out(`${line(job)}${sub === 'cancel' ? `  (${waitedMs} ms)` : ''}`);
      return 0;
    }
    if (sub === 'run') {
      const pending = queue.list({ state: 'queued', limit: 10_000 });
      const done: Job[] = [];
      let failedProjects = 0;
      // one project at a time, held like any command that changes it: a project a studio serves runs its own jobs
      for (const file of [...new Set(pending.map((j) => j.projectFile))]) {
        const ids = pending.filter((j) => j.projectFile === file).map((j) => j.id);
        let project: OpenedProject;
        try {
          project = await openProject(file, parsed, io);
        } catch (e) {
          if (!isKlappeError(e) || e.kind === 'cancelled') throw e;
          io.err(`klappe: the ${ids.length} job(s) of ${file} stay queued: ${e.message}`);
          failedProjects++;
          continue;
        }
        try {
          if (project.kind === 'local') {
            const runner = new JobQueue({ projects: sessionAccess(project.session) });
            runner.start({ filter: (j) => ids.includes(j.id) });
            done.push(...(await runner.waitFor(ids)));
            await runner.stop();
            if (project.session.state().dirty) project.session.save();
          } else {
            done.push(...(await queue.waitFor(ids)));
          }
        } finally {
          project.close();
        }
      }
      for (const j of done) io.out(line(j));
      return failedProjects || done.some((j) => j.state === 'failed') ? 1 : 0;
    }
    throw inputError('BAD_ARGUMENTS', `unknown jobs subcommand "${sub}"`, { path: 'SUBCOMMAND', hint: `Usage: ${this.usage}` });
  },
};
