/** Issue 19, finding 8: the engine process is supervised: pending calls fail clearly when it exits, and it is restarted. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { EngineSupervisor, type EngineProcess } from '../../main/engine-supervisor.js';

class FakeEngine extends EventEmitter implements EngineProcess {
  posted: { id: number; method: string }[] = [];
  postMessage(m: { id: number; method: string }): void {
    this.posted.push(m);
  }
  kill(): void {
    this.emit('exit', null);
  }
}

describe('engine supervisor', () => {
  it('fails pending calls with ENGINE_EXITED when the engine dies, restarts it, and the next call works', async () => {
    const started: FakeEngine[] = [];
    const exits: [number | null, boolean][] = [];
    const sup = new EngineSupervisor({
      start: () => {
        const e = new FakeEngine();
        started.push(e);
        return e;
      },
      onMessage: () => {},
      onExit: (c, r) => exits.push([c, r]),
    });
    const first = sup.call('app.info', {});
    started[0]!.emit('exit', 137);
    await expect(first).resolves.toMatchObject({
      ok: false,
      error: { code: 'ENGINE_EXITED', message: expect.stringContaining('exit 137') },
    });
    expect(started).toHaveLength(2);
    expect(exits).toEqual([[137, true]]);
    const second = sup.call('app.info', {});
    const { id } = started[1]!.posted[0]!;
    started[1]!.emit('message', { id, ok: true, result: { version: 'x' } });
    await expect(second).resolves.toMatchObject({ ok: true, result: { version: 'x' } });
    sup.stop();
  });

  it('stops restarting after a few exits a minute and answers ENGINE_DOWN', async () => {
    const started: FakeEngine[] = [];
    const sup = new EngineSupervisor({
      start: () => {
        const e = new FakeEngine();
        started.push(e);
        return e;
      },
      onMessage: () => {},
      maxRestartsPerMinute: 2,
    });
    for (let i = 0; i < 3; i++) started[started.length - 1]!.emit('exit', 1);
    expect(started).toHaveLength(3);
    await expect(sup.call('app.info', {})).resolves.toMatchObject({ ok: false, error: { code: 'ENGINE_DOWN' } });
  });

  it('passes events on', () => {
    const events: unknown[] = [];
    let engine!: FakeEngine;
    const sup = new EngineSupervisor({ start: () => (engine = new FakeEngine()), onMessage: (m) => events.push(m) });
    engine.emit('message', { event: 'job.progress', data: { id: 'j' } });
    expect(events).toEqual([{ event: 'job.progress', data: { id: 'j' } }]);
    sup.stop();
  });
});
