import { CacheIndex } from '../../cache/cache-index.js';
import { repairDatabase } from '../../cache/database.js';
import { checkCache, collectGarbage, defaultBudgetBytes, parseSize } from '../../cache/maintenance.js';
import { inputError } from '../../common/errors.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';
import { createProgress } from '../progress.js';
import { formatBytes } from '../../common/format-bytes.js';

export const cacheCommand: CliCommand = {
  name: 'cache',
  summary: 'media cache: stats, check (find missing/corrupt files) and gc (evict to a size budget)',
  usage: 'klappe cache stats | klappe cache check [--repair] | klappe cache gc [--budget 20G] [--pin-days 30]',
  details: [
    'check re-hashes every cached file; missing or corrupt ones are marked and regenerated on next use.',
    'check --repair first moves a damaged database aside (klappe.db.damaged-TIME) and removes rows that do not parse.',
    'gc evicts least-recently-used media until the cache fits the budget (default KLAPPE_CACHE_BUDGET or 20G),',
    'never media used by a project opened in the last --pin-days days.',
  ],
  options: {
    repair: { type: 'boolean', default: false },
    budget: { type: 'string' },
    'pin-days': { type: 'string' },
  },
  async run(parsed, io) {
    const sub = requirePositional(parsed, 0, 'stats|check|gc', this.usage);
    const repaired = sub === 'check' && parsed.values.repair === true ? repairDatabase() : undefined;
    if (repaired && !parsed.json) {
      if (repaired.movedAside) io.out(`the database was damaged: moved aside to ${repaired.movedAside}; a new one was started`);
      if (repaired.badJobs || repaired.badCacheEntries)
        io.out(
          `removed ${repaired.badJobs} damaged job row(s) and ${repaired.badCacheEntries} damaged cache entr${repaired.badCacheEntries === 1 ? 'y' : 'ies'}`,
        );
    }
    const index = new CacheIndex();
    if (sub === 'stats') {
      const s = index.stats();
      if (parsed.json) io.out(JSON.stringify({ ok: true, ...s }, null, 2));
      else {
        io.out(`cache ${s.root}`);
        io.out(`  ${s.mediaFiles} files, ${formatBytes(s.bytes)}; ${s.cacheEntries} cached generations`);
        io.out(`  pinned by ${s.recentProjects} recent project(s): ${s.pinnedFiles} files, ${formatBytes(s.pinnedBytes)}`);
        io.out(`  marked for regeneration: ${s.missing} missing, ${s.corrupt} corrupt; ${s.evicted} evicted`);
      }
      return 0;
    }
    if (sub === 'check') {
      const progress = createProgress(io, parsed.json);
      progress.stage('checking cache');
      const r = await checkCache(index, { signal: io.signal, onProgress: (d, t) => progress.update(t ? d / t : 1) });
      progress.done();
      if (parsed.json)
        io.out(
          JSON.stringify({ ...r, ...(repaired ? { repaired } : {}), clean: r.missing.length === 0 && r.corrupt.length === 0 }, null, 2),
        );
      else {
        io.out(
          `checked ${r.checked} files: ${r.ok} ok, ${r.missing.length} missing, ${r.corrupt.length} corrupt (removed)${r.adopted ? `, ${r.adopted} unindexed files indexed` : ''}${r.removedTemps ? `, ${r.removedTemps} leftover temp files removed` : ''}`,
        );
        for (const h of r.missing) io.out(`  missing ${h}`);
        for (const h of r.corrupt) io.out(`  corrupt ${h}`);
        if (r.awaitingRegeneration) io.out(`${r.awaitingRegeneration} file(s) found missing or corrupt earlier are not regenerated yet.`);
        if (r.missing.length || r.corrupt.length || r.awaitingRegeneration)
          io.out('They are regenerated the next time a project needs them (klappe generate / render).');
      }
      return 0;
    }
    if (sub === 'gc') {
      const budgetText = stringOption(parsed, 'budget');
      const budgetBytes = budgetText === undefined ? defaultBudgetBytes() : parseSize(budgetText);
      if (budgetBytes === undefined)
        throw inputError('BAD_ARGUMENTS', `--budget "${budgetText}" is not a size`, {
          path: '--budget',
          hint: 'Like 500M, 20G or a number of bytes.',
        });
      const pinDays = Number(stringOption(parsed, 'pin-days') ?? 30);
      if (!Number.isFinite(pinDays) || pinDays < 0)
        throw inputError('BAD_ARGUMENTS', '--pin-days must be a number of days', { path: '--pin-days' });
      const r = collectGarbage(index, { budgetBytes, pinDays });
      if (parsed.json) io.out(JSON.stringify({ ok: true, ...r }, null, 2));
      else {
        io.out(
          `evicted ${r.evicted.length} files: ${formatBytes(r.bytesBefore)} → ${formatBytes(r.bytesAfter)} (budget ${formatBytes(r.budgetBytes)})`,
        );
        if (r.bytesAfter > r.budgetBytes)
          io.out(`still over budget: ${formatBytes(r.pinnedBytes)} are pinned by projects opened in the last ${pinDays} days`);
      }
      return 0;
    }
    throw inputError('BAD_ARGUMENTS', `unknown cache subcommand "${sub}"`, { path: 'SUBCOMMAND', hint: `Usage: ${this.usage}` });
  },
};
