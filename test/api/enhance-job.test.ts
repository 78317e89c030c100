/**
 * Enhance through the studio: a take made by the queue (slate, 128x72) is
 * enhanced by a job of the same queue (progress events, job.done) and the
 * session records the larger take on the shot, selected, with where it came from.
 */
import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../engine/api/contract.js';
import { probe, videoStream } from '../../engine/media/probe.js';
import { openTestStudio } from '../support/studio-api.js';

describe('enhance job', () => {
  it('enhances a take through the queue and records the larger take on its shot', async () => {
    const { api, store, events } = openTestStudio('klappe-enhance-job-');
    const doneJobs = () => events.filter((e) => e.event === 'job.done').map((e) => e.data as JobInfo & { takeId: string });
    const waitDone = async (n: number) => {
      for (let i = 0; i < 1200 && doneJobs().length < n; i++) await new Promise((r) => setTimeout(r, 50));
      return doneJobs()[n - 1]!;
    };

    await api.call('project.new', { name: 'Enhance', template: 'empty' });
    await api.call('project.apply', {
      commands: [
        { type: 'sequence.update', patch: { width: 128, height: 72 } },
        { type: 'shot.update', shotId: 'shot-1', patch: { duration: 6 } },
      ],
    });
    await api.call('generate.enqueue', { shotIds: ['shot-1'], backend: 'slate' });
    const first = await waitDone(1);
    const { jobIds } = await api.call<'generate.enhance'>('generate.enhance', { takeId: first.takeId, width: 384, height: 216 });
    expect(jobIds).toHaveLength(1);
    const second = await waitDone(2);
    expect(second).toMatchObject({ status: 'done', backend: 'enhance' });
    expect(events.some((e) => e.event === 'job.progress' && (e.data as JobInfo).backend === 'enhance')).toBe(true);
    const doc = (await api.call<'project.get'>('project.get', {}))!.doc;
    const take = doc.takes.find((x) => x.id === second.takeId)!;
    expect(take).toMatchObject({
      shotId: 'shot-1',
      backend: 'enhance',
      model: 'superres-subpixel-x3',
      params: { enhancedFrom: first.takeId, size: '384x216' },
    });
    expect(doc.scenes[0]!.shots[0]!.selectedTakeId).toBe(take.id);
    const v = videoStream(await probe(store.pathFor(take.media.video!)));
    expect(v).toMatchObject({ width: 384, height: 216 });
    const err = await api.call('generate.enhance', { takeId: 'nope', width: 384, height: 216 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NOT_FOUND' });
  }, 120_000);
});
