import { SettingsStore } from '../../api/settings-store.js';
import { formatConfidence, formatEstimate, formatEstimateTime, formatUsd } from '../../common/cost.js';
import { inputError } from '../../common/errors.js';
import { localModelProbe } from '../../generate/local-models.js';
import { JobQueue } from '../../jobs/queue.js';
import { estimateRun, spendSummary } from '../../jobs/run-cost.js';
import { loadProject } from '../../model/project-file.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';
import { openProject, WAIT_OPTION } from '../open-project.js';

/** A budget given on the command line: dollars ("25", "$12.50") or "none". */
function parseBudget(text: string): number | null {
  if (text === 'none') return null;
  const usd = Number(text.replace(/^\$/, ''));
  if (!Number.isFinite(usd) || usd < 0)
    throw inputError('BAD_BUDGET', `--budget: "${text}" is not an amount of dollars`, {
      path: '--budget',
      hint: 'Give dollars (--budget 25 or --budget 12.50), or --budget none to remove it.',
    });
  return usd;
}

export const costCommand: CliCommand = {
  name: 'cost',
  summary: "what a project's takes cost (per take, shot, backend, day), estimates before a run, the budget",
  usage: 'klappe cost PROJECT [--estimate [--shot ID]… [--backend ID]] [--budget USD|none] [--json]',
  details: [
    'Lists every take with its backend, measured seconds and cost, and the totals per shot, backend and day.',
    '--estimate: the time and cost of generating the shots on the backend each would run on and the alternatives',
    "(learned from this machine's takes once there are 3 of a backend and size, else the documented constants).",
    "--budget: sets the project's budget (klappe generate refuses a run that would exceed it unless --over-budget).",
    "Prices: assets/prices/prices.v1.json, with your overrides from the studio's Settings.",
  ],
  options: {
    estimate: { type: 'boolean', default: false },
    shot: { type: 'string', multiple: true },
    backend: { type: 'string' },
    budget: { type: 'string' },
    ...WAIT_OPTION,
  },
  async run(parsed, io) {
    const projectPath = requirePositional(parsed, 0, 'PROJECT', this.usage);
    const budgetText = stringOption(parsed, 'budget');
    if (budgetText !== undefined) {
      const budgetUsd = parseBudget(budgetText);
      const project = await openProject(projectPath, parsed, io);
      try {
        const command = { type: 'project.update' as const, patch: { budgetUsd } };
        if (project.kind === 'local') {
          project.session.apply(command);
          project.session.save();
        } else await project.client.call('project.apply', { commands: command, label: 'Set budget' });
      } finally {
        project.close();
      }
    }
    const loaded = loadProject(projectPath);
    const doc = loaded.doc;
    const summary = spendSummary(doc);
    let estimate;
    if (parsed.values.estimate === true) {
      const queue = new JobQueue();
      const settings = new SettingsStore().plain();
      const backendId = stringOption(parsed, 'backend');
      const shots = parsed.values.shot as string[] | undefined;
      estimate = estimateRun(doc, shots, backendId ? { backendId } : {}, {
        timings: queue.timings,
        prices: settings.prices,
        local: localModelProbe(() => settings.localModelDir),
      });
    }
    if (parsed.json) {
      io.out(JSON.stringify({ project: loaded.file, ...summary, ...(estimate ? { estimate } : {}) }, null, 2));
      return 0;
    }
    io.out(`${doc.name}  (${loaded.file})`);
    io.out(
      `  spent ${formatUsd(summary.total.usd, { free: false })} on ${summary.total.takes} take(s), ${formatEstimateTime(summary.total.seconds)} of generation${summary.budgetUsd !== undefined ? `; budget ${formatUsd(summary.budgetUsd, { free: false })}, ${formatUsd(Math.max(0, summary.budgetUsd - summary.total.usd), { free: false })} left` : ''}`,
    );
    if (summary.unrecorded)
      io.out(`  ${summary.unrecorded} take(s) without a recorded cost (made before costs were recorded, or reused from the cache)`);
    if (summary.takes.length) {
      io.out('  take                 backend   seconds   billed      cost  day');
      for (const r of summary.takes) {
        io.out(
          `  ${`shot ${r.shotNumber} take ${r.takeNumber}`.padEnd(20)} ${r.backend.padEnd(9)} ${r.seconds.toFixed(1).padStart(7)} ${(r.billedSeconds !== undefined ? `${r.billedSeconds} s` : '-').padStart(8)} ${formatUsd(r.usd, { free: false }).padStart(9)}  ${r.day}`,
        );
      }
      for (const [name, rows] of [
        ['shot', summary.perShot],
        ['backend', summary.perBackend],
        ['day', summary.perDay],
      ] as const) {
        io.out(`  per ${name}: ${rows.map((g) => `${g.key} ${formatUsd(g.usd, { free: false })} (${g.takes})`).join(', ')}`);
      }
    }
    if (estimate) {
      io.out(
        `  estimate: ${formatEstimateTime(estimate.total.seconds)}, ${formatUsd(estimate.total.usd)} on the chosen backends${estimate.overBudget ? ' — over the budget' : ''}`,
      );
      for (const s of estimate.shots) {
        const [mine, ...others] = s.options;
        io.out(
          `    ${s.shotId.padEnd(10)} ${formatEstimate(mine!)} (${s.cached ? 'its take exists: reused, free' : formatConfidence(mine!.confidence)}) | ${others.map((o) => `${formatEstimate(o)}${o.available ? '' : ' (not set up)'}`).join(' | ')}`,
        );
      }
    }
    return 0;
  },
};
