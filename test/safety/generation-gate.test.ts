/**
 * The generation gate: a shot whose prompt or dialogue the policy blocks fails
 * its job with SAFETY_BLOCKED (rule, how to proceed) before any backend runs;
 * an allowed shot generates; both checks are in the decision log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectSession } from '../../engine/api/project-session.js';
import { closeDatabases } from '../../engine/cache/database.js';
import { JobQueue } from '../../engine/jobs/queue.js';
import { tempDir } from '../support/env.js';
import { openTestQueue } from '../support/job-queue.js';

const t = tempDir('klappe-gate-');
let file: string;
let queue: JobQueue;
let session: ProjectSession;

beforeAll(() => {
  ({ file, session, queue } = openTestQueue(t.dir));
});

afterAll(async () => {
  await queue.stop({ abort: true });
  session.close();
  closeDatabases();
  t.cleanup();
});

describe('generation gate', () => {
  it('fails a blocked shot before its backend runs, naming the rule and how to proceed; an allowed one generates', async () => {
    const [blockedShot, okShot] = session.doc.scenes[0]!.shots;
    session.apply({ type: 'shot.update', shotId: blockedShot!.id, patch: { prompt: 'A nude 12-year-old on the beach' } });
    session.apply({ type: 'shot.update', shotId: okShot!.id, patch: { prompt: 'Shoot the scene at dawn, then kill the lights' } });
    const jobs = queue.enqueue(file, [blockedShot!.id, okShot!.id], { size: { width: 160, height: 90 }, backendId: 'slate' });
    queue.start();
    const [blocked, ok] = await queue.waitFor(jobs.map((j) => j.id));
    expect(blocked).toMatchObject({ state: 'failed', error: { code: 'SAFETY_BLOCKED', kind: 'input', path: 'prompt' } });
    expect(blocked!.error!.message).toMatch(/minors\.sexual/);
    expect(blocked!.error!.hint).toMatch(/adult age/);
    expect(blocked!.takeId).toBeUndefined();
    expect(session.doc.takes.some((tk) => tk.shotId === blockedShot!.id)).toBe(false);
    expect(ok).toMatchObject({ state: 'succeeded' });
    const log = queue.decisions.list();
    expect(log.find((e) => e.ref === `${file}#shot ${blockedShot!.id} prompt`)).toMatchObject({ outcome: 'block', rule: 'minors.sexual' });
    expect(log.find((e) => e.ref === `${file}#shot ${okShot!.id} prompt`)).toMatchObject({ outcome: 'allow' });
  });

  it('checks the lines a shot speaks', async () => {
    const shot = session.doc.scenes[1]!.shots[0]!;
    const line = session.doc.lines.find((l) => l.shotId === shot.id);
    expect(line).toBeDefined();
    session.apply({ type: 'shot.update', shotId: shot.id, patch: { prompt: 'Two people talk' } });
    session.apply({ type: 'line.update', lineId: line!.id, patch: { text: 'I am going to kill myself tonight.' } });
    const [job] = queue.enqueue(file, [shot.id], { size: { width: 160, height: 90 }, backendId: 'slate' });
    const [done] = await queue.waitFor([job!.id]);
    expect(done).toMatchObject({ state: 'failed', error: { code: 'SAFETY_BLOCKED' } });
    expect(done!.error!.message).toMatch(/line \d+: Blocked by rule self-harm\.method/);
    expect(queue.decisions.list({ limit: 5 }).some((e) => e.subject === 'dialogue' && e.outcome === 'block')).toBe(true);
  });

  it('takes cameo consent decisions ({outcome, rule, reason}) into the same log', () => {
    const ids = queue.decisions.recordConsent(
      [
        { outcome: 'block', rule: 'consent.revoked', reason: 'Ana revoked the grant on 2026-12-01', cameoId: 'c1' },
        { outcome: 'allow', rule: 'consent.granted', reason: 'granted to you until 2027-01-01', cameoId: 'c2' },
      ],
      { ref: `${file}#shot s1`, policyVersion: 'strict-test' },
    );
    expect(ids).toHaveLength(2);
    const [allowed, blocked] = queue.decisions.list({ limit: 2 });
    expect(blocked).toMatchObject({
      subject: 'consent',
      checker: 'cameo consent',
      rule: 'consent.revoked',
      category: 'consent',
      outcome: 'block',
      excerpt: 'cameo c1',
    });
    expect(allowed).toMatchObject({ rule: 'consent.granted', outcome: 'allow' });
  });
});
