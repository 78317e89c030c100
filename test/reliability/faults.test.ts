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
import { callApi, connectApi, startHost } from '../support/host-process.js';

const KILLS = Number(process.env.KLAPPE_FAULT_KILLS ?? 8);
const t = tempDir('klappe-faults-');
afterAll(() => t.cleanup());

/** A small deterministic random source (seeded: a failure can be replayed with KLAPPE_FAULT_SEED). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe(`fault harness: ${KILLS} SIGKILLs of the studio host`, () => {
  it('loses no acknowledged edit and leaves no litter', async () => {
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
  });
});
