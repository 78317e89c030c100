/**
 * Issue 19 fault harness (bounded here; `npm run faults` runs more kills):
 * a real `klappe serve` gets edits and saves over its WebSocket and is
 * killed with SIGKILL at a random moment, many times. After each kill: the
 * project opens, the last acknowledged edit is there (saved file or recovery
 * copy), no temp file is left in the project folder, and the next start
 * sweeps the dead host's work folders.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectSession } from '../../engine/api/project-session.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { tempDir } from '../support/env.js';
import { cacheMismatches, entries, eventLog, litterUnder, rng, survivors } from '../support/fault-checks.js';
import { callApi, connectApi, startHost } from '../support/host-process.js';

const KILLS = Number(process.env.KLAPPE_FAULT_KILLS ?? 8);
const t = tempDir('klappe-faults-');
afterAll(() => (process.env.KLAPPE_FAULT_KEEP ? console.log(`kept ${t.dir}`) : t.cleanup()));

describe(`fault harness: ${KILLS} SIGKILLs of the studio host`, () => {
  it(
    'loses no acknowledged edit and leaves no litter',
    async () => {
      const seed = Number(process.env.KLAPPE_FAULT_SEED ?? 19);
      const random = rng(seed);
      const data = join(t.dir, 'data');
      mkdirSync(data, { recursive: true });
      const env = { KLAPPE_DATA_DIR: data };
      const project = join(t.dir, 'film');
      createProjectFromTemplate(project, 'two-scenes', 'Faults');
      let lost = 0;
      let edits = 0;
      for (let k = 0; k < KILLS; k++) {
        const host = await startHost(join(t.dir, `h${k}`), { project, env });
        const ws = await connectApi(host.port, host.token);
        const opened = await callApi(ws, 'project.get');
        if (opened.result?.recovery) await callApi(ws, 'project.recover', { accept: true });
        let acked: string | undefined;
        const killAfter = Math.floor(random() * 12);
        const killDelayMs = Math.floor(random() * 40);
        for (let i = 0; ; i++) {
          const name = `Edit ${k}.${i}`;
          const send = callApi(ws, 'project.apply', { commands: { type: 'project.update', patch: { name } } });
          if (random() < 0.3) void callApi(ws, 'project.save').catch(() => {});
          if (i === killAfter) {
            // the kill lands while this edit (and maybe a save) is in flight
            await new Promise((r) => setTimeout(r, killDelayMs));
            host.child.kill('SIGKILL');
            const r = await send.catch(() => undefined);
            if (r?.ok) acked = name;
            break;
          }
          const r = await send;
          expect(r.ok).toBe(true);
          acked = name;
          edits++;
        }
        await host.exited;
        ws.terminate();
        // the project opens; the last acknowledged edit is in the file or its recovery copy
        const session = ProjectSession.open(project, () => {}, { onTakeOver: () => {} });
        try {
          const name = session.recovery?.doc.name ?? session.doc.name;
          if (acked && name !== acked && !name.startsWith(`Edit ${k}.`)) lost++;
          if (acked && name !== acked && name.startsWith(`Edit ${k}.`)) {
            const [, a] = /\.(\d+)$/.exec(acked)!;
            const [, b] = /\.(\d+)$/.exec(name)!;
            if (Number(b) < Number(a)) lost++;
          }
        } finally {
          session.close();
        }
        expect(
          readdirSync(project).filter((f) => f.includes('.tmp-')),
          `kill ${k}`,
        ).toEqual([]);
      }
      // the next start sweeps the work folders of the killed hosts
      const last = await startHost(join(t.dir, 'final'), { env });
      await last.stop();
      const work = join(data, 'work');
      const left = existsSync(work) ? readdirSync(work) : [];
      console.log(
        `fault harness: ${KILLS} kills, ${edits} acknowledged edits before them, ${lost} lost, ${left.length} work folders left (seed ${seed})`,
      );
      expect(lost).toBe(0);
      expect(left).toEqual([]);
    },
    Math.max(300_000, KILLS * 30_000),
  );
});

type WorkKind = 'generation' | 'cache write' | 'export';
const WORK_KILLS = Number(process.env.KLAPPE_FAULT_KILLS ? Math.ceil(Number(process.env.KLAPPE_FAULT_KILLS) / 5) : 2);

/**
 * Kills during work: previz jobs generating, their takes going into the
 * cache, an export rendering. After each kill: no process of the killed host
 * survives, the restarted host resumes the jobs and they finish, the last
 * acknowledged edit is there, the cache index matches its files, and no temp
 * or partial file is left (project folder, cache, system temp folder, work folders).
 */
describe(`fault harness: ${WORK_KILLS} SIGKILLs each during generation, cache writes and export`, () => {
  it(
    'resumes every job and leaves no orphan process, partial file or stale index',
    async () => {
      const seed = Number(process.env.KLAPPE_FAULT_SEED ?? 19);
      const random = rng(seed + 1);
      const data = join(t.dir, 'work-data');
      const tmp = join(t.dir, 'work-systmp');
      mkdirSync(data, { recursive: true });
      mkdirSync(tmp, { recursive: true });
      const project = join(t.dir, 'work-film');
      createProjectFromTemplate(project, 'two-scenes', 'Work faults');
      // two two-second shots at 320×180 keep each round short: every other shot goes
      const setup = ProjectSession.open(project, () => {});
      const keep = new Set(['s1', 's2']);
      setup.apply(
        setup.doc.scenes.flatMap((s) => s.shots.filter((x) => !keep.has(x.id)).map((x) => ({ type: 'shot.remove', shotId: x.id }))),
      );
      setup.apply([
        ...['s1', 's2'].map((id) => ({ type: 'shot.update', shotId: id, patch: { duration: 48 } })),
        { type: 'sequence.update', patch: { width: 320, height: 180 } },
      ]);
      setup.save();
      setup.close();
      const figures: Record<WorkKind, number> = { generation: 0, 'cache write': 0, export: 0 };
      const problems: string[] = [];
      let lost = 0;
      let acknowledged = 0;
      let round = 0;
      const start = async (marker: string) => {
        const host = await startHost(join(t.dir, `w${round++}`), {
          project,
          env: { KLAPPE_DATA_DIR: data, TMPDIR: tmp, KLAPPE_FAULT_MARK: marker },
        });
        const ws = await connectApi(host.port, host.token);
        const events = eventLog(ws);
        const opened = await callApi(ws, 'project.get');
        if (opened.result?.recovery) await callApi(ws, 'project.recover', { accept: true });
        return { host, ws, events };
      };
      const kinds: WorkKind[] = [];
      for (let k = 0; k < WORK_KILLS; k++) kinds.push('generation', 'cache write', 'export');
      let current = await start(`${process.pid}-w0`);
      for (const [k, kind] of kinds.entries()) {
        const marker = `${process.pid}-w${k}`;
        const t0 = Date.now();
        if (k > 0) current = await start(marker);
        const phases: Array<[string, number]> = [['start', Date.now()]];
        const { host, ws, events } = current;
        // an acknowledged edit that changes every shot's cache key: the jobs really generate
        const prompt = `kill ${k}: ${kind}`;
        const doc = (await callApi(ws, 'project.get')).result.doc;
        const shots: string[] = doc.scenes.flatMap((s: { shots: Array<{ id: string }> }) => s.shots.map((x) => x.id));
        const edit = await callApi(ws, 'project.apply', {
          commands: shots.map((id) => ({ type: 'shot.update', shotId: id, patch: { prompt: `${prompt} (${id})` } })),
        });
        expect(edit.ok).toBe(true);
        const killAt = random();
        if (kind === 'export') {
          const r = await callApi(ws, 'export.start', { preset: '16:9-720p' });
          expect(r.ok, JSON.stringify(r.error)).toBe(true);
          // the export first makes the missing takes, then renders: kill during the render
          await until(
            () =>
              events.some(
                (e) => (e.event === 'export.progress' && (e.data.progress ?? 0) > 0.1 + killAt * 0.6) || e.event === 'export.done',
              ),
            300_000,
          );
        } else {
          const r = await callApi(ws, 'generate.enqueue', { backend: 'previz' });
          expect(r.ok, JSON.stringify(r.error)).toBe(true);
          if (kind === 'generation')
            // (or, on a slow machine that sent fewer progress events, when the last job is done)
            await until(
              () =>
                events.filter((e) => e.event === 'job.progress').length > 1 + Math.floor(killAt * 8) ||
                events.filter((e) => e.event === 'job.done').length >= shots.length,
              300_000,
            );
          // a take is finished: it is being signed, then moved into the cache and indexed
          else
            await until(
              () => events.some((e) => (e.event === 'job.progress' && /signing/.test(e.data.stage)) || e.event === 'job.done'),
              300_000,
            );
          await new Promise((r) => setTimeout(r, Math.floor(killAt * 40)));
        }
        phases.push(['work until the kill', Date.now()]);
        host.child.kill('SIGKILL');
        await host.exited;
        ws.terminate();
        const doneTakes = events.filter((e) => e.event === 'job.done' && e.data.takeId).map((e) => e.data.takeId as string);
        const left = await survivors(marker);
        for (const p of left) problems.push(`kill ${k} (${kind}): process survived: ${p.pid} ${p.cmd}`);
        for (const p of left) process.kill(p.pid, 'SIGKILL');
        // restart: the project opens with the edit, the jobs resume and finish
        phases.push(['orphan check', Date.now()]);
        const next = await start(`${marker}-after`);
        phases.push(['restart', Date.now()]);
        const after = (await callApi(next.ws, 'project.get')).result.doc;
        if (!after.scenes[0].shots[0].prompt.startsWith(prompt)) lost++;
        for (const id of doneTakes) if (!after.takes.some((x: { id: string }) => x.id === id)) lost++;
        acknowledged += 1 + doneTakes.length;
        await until(async () => {
          const jobs = (
            await callApi(next.ws, 'generate.list').catch((e: Error) => {
              throw new Error(`${e.message}; the host said: ${next.host.stderr()}`);
            })
          ).result as Array<{ status: string }>;
          return jobs.every((j) => j.status !== 'queued' && j.status !== 'running');
        }, 180_000);
        const jobs = (await callApi(next.ws, 'generate.list')).result as Array<{ id: string; status: string; error?: unknown }>;
        for (const j of jobs.filter((x) => x.status !== 'done'))
          problems.push(`kill ${k} (${kind}): job ${j.id} ${j.status} ${JSON.stringify(j.error)}`);
        phases.push(['jobs resumed and finished', Date.now()]);
        await callApi(next.ws, 'project.save');
        next.ws.terminate();
        await next.host.stop();
        problems.push(...(await cacheMismatches(data)).map((p) => `kill ${k} (${kind}): ${p}`));
        problems.push(...litterUnder(project).map((p) => `kill ${k} (${kind}): litter ${p}`));
        problems.push(...litterUnder(join(data, 'media')).map((p) => `kill ${k} (${kind}): litter ${p}`));
        problems.push(...entries(join(data, 'work')).map((p) => `kill ${k} (${kind}): work folder ${p}`));
        // (tsx-UID is the TypeScript loader's compile cache, kept on purpose: the engine runs from source)
        problems.push(
          ...entries(tmp)
            .filter((p) => !/^tsx-\d+$/.test(p))
            .map((p) => `kill ${k} (${kind}): system temp ${p}`),
        );
        problems.push(...(await survivors(`${marker}-after`)).map((p) => `after kill ${k}: process survived a clean stop: ${p.cmd}`));
        phases.push(['stop and file checks', Date.now()]);
        if (process.env.KLAPPE_FAULT_TIMES)
          console.log(
            `kill ${k} (${kind}): ${phases.map(([n, at], i) => `${n} ${((at - (i ? phases[i - 1]![1] : t0)) / 1000).toFixed(1)} s`).join(', ')}`,
          );
        figures[kind]++;
      }
      console.log(
        `fault harness (work): kills survived: ${Object.entries(figures)
          .map(([k, n]) => `${n} during ${k}`)
          .join(', ')}; ${acknowledged} acknowledged edits and finished takes, ${lost} lost; ${problems.length} problems (seed ${seed})`,
      );
      expect(problems).toEqual([]);
      expect(lost).toBe(0);
    },
    WORK_KILLS * 3 * 150_000,
  );
});

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
