/** Issue 19, finding 3: ffmpeg dies with Klappe (kill -9 of node), and a cancel ends it too. */
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFfmpeg } from '../../engine/media/run.js';
import { ROOT } from '../support/env.js';

function running(marker: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return (
    out
      .split('\n')
      // ffmpeg itself: its executable is named ffmpeg (not the sh watchdog, not the node script named long-ffmpeg.ts)
      .filter((l) => l.includes(marker) && /^\s*\d+\s+\S*ffmpeg\s/.test(l))
      .map((l) => Number(l.trim().split(/\s+/)[0]))
  );
}

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('no orphaned ffmpeg', () => {
  it('ffmpeg ends when the node process that started it is killed with SIGKILL', async () => {
    const marker = `klappe-orphan-${process.pid}-${Date.now()}`;
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run-ts.mjs'), join(ROOT, 'test', 'support', 'long-ffmpeg.ts'), marker], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((r) =>
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('started')) r();
      }),
    );
    expect(await until(() => running(marker).length === 1)).toBe(true);
    child.kill('SIGKILL');
    const gone = await until(() => running(marker).length === 0);
    for (const pid of running(marker)) process.kill(pid, 'SIGKILL');
    expect(gone).toBe(true);
  });

  it('a cancel ends ffmpeg and says cancelled', async () => {
    const marker = `klappe-cancel-${process.pid}-${Date.now()}`;
    const ac = new AbortController();
    const run = runFfmpeg(
      ['-re', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5', '-t', '3600', '-metadata', `title=${marker}`, '-f', 'null', '-'],
      { signal: ac.signal, onProgress: () => {} },
    );
    expect(await until(() => running(marker).length === 1)).toBe(true);
    ac.abort();
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await until(() => running(marker).length === 0)).toBe(true);
  });

  it('exit codes and stdout pass through the watchdog', async () => {
    await expect(runFfmpeg(['-f', 'lavfi', '-i', 'nosuchfilter', '-f', 'null', '-'])).rejects.toMatchObject({ code: 'FFMPEG_FAILED' });
    const r = await runFfmpeg(['-f', 'lavfi', '-i', 'sine=d=0.1', '-f', 's16le', '-ac', '1', '-ar', '8000', 'pipe:1'], {
      captureStdout: true,
    });
    expect(r.stdout.length).toBe(1600);
    const fed = await runFfmpeg(['-f', 's16le', '-ac', '1', '-ar', '8000', '-i', 'pipe:0', '-f', 's16le', 'pipe:1'], {
      stdin: Buffer.alloc(800),
      captureStdout: true,
    });
    expect(fed.stdout.length).toBe(800);
  });
});
