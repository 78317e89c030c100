/** `klappe safety`: check a prompt, read the decision log, show the policy, import and sign opt-out lists. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { inputError } from '../../common/errors.js';
import { loadSigningIdentity } from '../../provenance/identity.js';
import { checkPrompt } from '../../safety/checks.js';
import { DecisionLog } from '../../safety/decision-log.js';
import { checkFramesBeforeExport } from '../../safety/frame-check.js';
import { importOptoutList, listLabel, loadOptouts, signOptoutList, writeSignedList } from '../../safety/optouts.js';
import { CATEGORY_IDS, loadPolicy, type Outcome } from '../../safety/policy.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';

const USAGE = [
  'klappe safety check-prompt "TEXT" [--json]',
  'klappe safety check-frames VIDEO… [--json]',
  'klappe safety log [--json] [--limit N] [--outcome allow|warn|block]',
  'klappe safety policy [--json]',
  'klappe safety optouts list [--json]',
  'klappe safety optouts import FILE [--json]',
  'klappe safety optouts sign SOURCE.json --out SIGNED.json',
].join('\n       ');

export const safetyCommand: CliCommand = {
  name: 'safety',
  summary: 'moderation: check a prompt, the decision log, the policy, rights-holder opt-out lists',
  usage: USAGE,
  details: [
    'check-prompt: moderates the text with the policy and the imported opt-out lists and logs the decision; --json prints',
    '  {"outcome": "allow"|"warn"|"block", "rule", "category", "score", "message", "proceed", "policy"}.',
    'check-frames: the pre-export frame check on video files (faces sampled and matched against cameos; logged).',
    'log: the decision log, newest first (every check: what, where, rule or model, score, outcome, policy version, time).',
    'policy: the policy in force (the strict default in assets/safety/policy.json, with your safety-policy.json in the config folder).',
    "optouts import: checks the list's signature (an altered list is refused) and keeps it; prompts naming its entries are blocked.",
    'optouts sign: for rights holders: signs a list with your signing identity (klappe identity show); image entries get their hashes.',
  ],
  options: {
    limit: { type: 'string' },
    outcome: { type: 'string' },
    out: { type: 'string', short: 'o' },
  },
  async run(parsed, io) {
    const sub = parsed.positionals[0];
    if (sub === 'check-prompt') {
      const text = parsed.positionals.slice(1).join(' ');
      if (!text.trim())
        throw inputError('BAD_ARGUMENTS', 'check-prompt needs the text to check', { path: 'TEXT', hint: `Usage: ${USAGE}` });
      const v = await checkPrompt(text);
      if (parsed.json)
        io.out(
          JSON.stringify(
            {
              outcome: v.outcome,
              rule: v.rule ?? null,
              category: v.category ?? null,
              score: v.score,
              message: v.message,
              ...(v.proceed ? { proceed: v.proceed } : {}),
              policy: v.policyVersion,
            },
            null,
            2,
          ),
        );
      else {
        io.out(`${v.outcome.toUpperCase()}${v.rule ? ` (${v.rule}, ${v.category})` : ''}: ${v.message}`);
        if (v.proceed) io.out(`  how to proceed: ${v.proceed}`);
        if (v.allowed.length) io.out(`  film language allowed: ${v.allowed.join(', ')}`);
      }
      return 0;
    }
    if (sub === 'check-frames') {
      const files = parsed.positionals.slice(1).map((f) => resolve(f));
      if (!files.length) throw inputError('BAD_ARGUMENTS', 'check-frames needs a video file', { path: 'VIDEO', hint: `Usage: ${USAGE}` });
      for (const f of files) if (!existsSync(f)) throw inputError('FILE_NOT_FOUND', `no file ${f}`, { file: f, path: 'VIDEO' });
      const r = await checkFramesBeforeExport(files, { signal: io.signal });
      if (parsed.json)
        io.out(
          JSON.stringify(
            {
              outcome: r.outcome,
              videoSeconds: r.videoSeconds,
              framesSampled: r.framesSampled,
              elapsedMs: r.elapsedMs,
              files: r.files.map((f) => ({
                file: f.file,
                outcome: f.outcome,
                faces: f.report.facesFound,
                cameos: f.report.matches.map((m) => ({ id: m.id, name: m.name, similarity: m.similarity })),
                unknownFaces: f.report.unknown.length,
              })),
            },
            null,
            2,
          ),
        );
      else {
        for (const f of r.files)
          io.out(
            `${f.outcome.toUpperCase()} ${f.file}: ${f.report.framesSampled} frames, ${f.report.facesFound} faces, ${f.report.unknown.length} matching no cameo`,
          );
        io.out(`${r.videoSeconds.toFixed(1)} s of video checked in ${(r.elapsedMs / 1000).toFixed(1)} s`);
      }
      return 0;
    }
    if (sub === 'log') {
      const limitText = stringOption(parsed, 'limit');
      const limit = limitText === undefined ? 50 : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1)
        throw inputError('BAD_ARGUMENTS', `--limit must be a positive whole number, not "${limitText}"`, { path: '--limit' });
      const outcome = stringOption(parsed, 'outcome');
      if (outcome !== undefined && !['allow', 'warn', 'block'].includes(outcome))
        throw inputError('BAD_ARGUMENTS', `--outcome is allow, warn or block, not "${outcome}"`, { path: '--outcome' });
      const entries = new DecisionLog().list({ limit, ...(outcome ? { outcome: outcome as Outcome } : {}) });
      if (parsed.json) io.out(JSON.stringify(entries, null, 2));
      else if (!entries.length) io.out('The decision log is empty.');
      else
        for (const e of entries)
          io.out(
            `${e.at}  ${e.outcome.padEnd(5)}  ${e.subject.padEnd(9)} ${e.rule ?? '-'}${e.score !== undefined ? ` ${e.score.toFixed(2)}` : ''}  ${e.excerpt}${e.ref ? `  [${e.ref}]` : ''}  (${e.checker}, policy ${e.policyVersion})`,
          );
      return 0;
    }
    if (sub === 'policy') {
      const p = loadPolicy();
      const view = {
        version: p.version,
        name: p.name,
        sources: p.sources,
        categories: Object.fromEntries(CATEGORY_IDS.map((c) => [c, p.file.categories[c]])),
        rules: p.rules.map((r) => ({ id: r.id, category: r.category, score: r.score, about: r.about })),
        frames: p.file.frames,
      };
      if (parsed.json) io.out(JSON.stringify(view, null, 2));
      else {
        io.out(`Policy ${p.name} (${p.version}) from ${p.sources.join(' + ')}`);
        for (const c of CATEGORY_IDS) {
          const cat = p.file.categories[c];
          io.out(`  ${cat.label.padEnd(38)} warn at ${cat.warnAt}, block at ${cat.blockAt}${cat.locked ? ' (locked)' : ''}`);
        }
        io.out(`  ${p.rules.length} rules, ${p.allow.length} groups of allowed film phrases`);
        io.out(`  frames before export: faces matched against cameos; not checked in frames: ${p.file.frames.unchecked.join(', ') || '-'}`);
      }
      return 0;
    }
    if (sub === 'optouts') {
      const action = parsed.positionals[1] ?? 'list';
      if (action === 'import') {
        const file = resolve(requirePositional(parsed, 2, 'FILE', USAGE));
        const log = new DecisionLog();
        let l;
        try {
          l = await importOptoutList(file);
        } catch (e) {
          log.record({
            subject: 'optouts',
            ref: file,
            checker: 'signature',
            outcome: 'block',
            reason: (e as Error).message,
            policyVersion: loadPolicy().version,
          });
          throw e;
        }
        log.record({
          subject: 'optouts',
          ref: file,
          excerpt: l.list.holder,
          checker: 'signature',
          outcome: 'allow',
          reason: `imported ${listLabel(l)}`,
          policyVersion: loadPolicy().version,
        });
        if (parsed.json)
          io.out(
            JSON.stringify(
              {
                id: l.list.id,
                holder: l.list.holder,
                version: l.list.version,
                entries: l.list.entries.length,
                signer: l.signer,
                file: l.file,
              },
              null,
              2,
            ),
          );
        else io.out(`Imported ${listLabel(l)}`);
        return 0;
      }
      if (action === 'list') {
        const loaded = await loadOptouts();
        if (parsed.json)
          io.out(
            JSON.stringify(
              {
                lists: loaded.lists.map((l) => ({
                  id: l.list.id,
                  holder: l.list.holder,
                  version: l.list.version,
                  entries: l.list.entries,
                  signer: l.signer,
                  file: l.file,
                })),
                refused: loaded.refused,
              },
              null,
              2,
            ),
          );
        else {
          if (!loaded.lists.length && !loaded.refused.length) io.out('No opt-out lists imported (klappe safety optouts import FILE).');
          for (const l of loaded.lists) io.out(listLabel(l));
          for (const r of loaded.refused) io.out(`REFUSED ${r.file}: ${r.reason}`);
        }
        return 0;
      }
      if (action === 'sign') {
        const source = resolve(requirePositional(parsed, 2, 'SOURCE', USAGE));
        const out = stringOption(parsed, 'out');
        if (!out) throw inputError('BAD_ARGUMENTS', 'optouts sign needs --out SIGNED.json', { path: '--out', hint: `Usage: ${USAGE}` });
        const signed = await signOptoutList(source, await loadSigningIdentity());
        writeSignedList(resolve(out), signed);
        if (parsed.json)
          io.out(JSON.stringify({ file: resolve(out), id: signed.payload.id, entries: signed.payload.entries.length }, null, 2));
        else io.out(`Signed ${signed.payload.id} (${signed.payload.entries.length} entries) → ${resolve(out)}`);
        return 0;
      }
      throw inputError('BAD_ARGUMENTS', `unknown optouts action "${action}"`, { path: 'action', hint: `Usage: ${USAGE}` });
    }
    throw inputError('BAD_ARGUMENTS', sub ? `unknown safety action "${sub}"` : 'klappe safety needs an action', {
      path: 'action',
      hint: `Usage: ${USAGE}`,
    });
  },
};
