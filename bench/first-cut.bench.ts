/**
 * First watchable cut: `klappe new DIR --template two-scenes`, then `klappe
 * render` to a signed, watermarked (visible + invisible) 1280x720 export with
 * speech and sound at the project's loudness (streaming), from an empty cache
 * (target ≤ 30 s on 2 cores). Where the time goes: the CLI's stages, timed as
 * they are printed. Baseline in the same run: the same render again with the
 * takes cached and no provenance or loudness (what only the video costs).
 * The machine's load average is printed: on a shared machine it moves the
 * wall-clock numbers more than anything measured here.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { childCpuFromTimes, report } from './support.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'klappe.mjs');

/**
 * Runs the CLI; returns its wall-clock ms, the ms of each stage it printed, and its CPU seconds
 * (user + sys of the CLI and every process it ran, from bash's `times`).
 */
function cli(args: string[], env: Record<string, string>): Promise<{ ms: number; cpu: number; stages: Array<[string, number]> }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('bash', ['-c', '"$@" >/dev/null; s=$?; times; exit $s', 'bash', process.execPath, BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const stages: Array<[string, number]> = [];
    let current = 'starting';
    let since = started;
    let buf = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      buf += d.toString();
      err += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        const stage = line.replace(/:\s*\d+%$/, '');
        if (!stage || stage === current) continue;
        const now = performance.now();
        stages.push([current, now - since]);
        current = stage;
        since = now;
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const now = performance.now();
      stages.push([current, now - since]);
      if (code !== 0) reject(new Error(`klappe ${args[0]} exited ${code}: ${err.slice(-2000)}`));
      else resolve({ ms: now - started, cpu: childCpuFromTimes(out), stages });
    });
  });
}

export async function benchFirstCut(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'klappe-bench-first-cut-'));
  const env = { KLAPPE_DATA_DIR: join(work, 'data'), KLAPPE_CONFIG_DIR: join(work, 'config') };
  const dir = join(work, 'film');
  try {
    const load = loadavg()[0]!.toFixed(1);
    const made = await cli(['new', dir, '--template', 'two-scenes'], env);
    const first = await cli(['render', dir, '-o', join(work, 'first.mp4')], env);
    const plain = await cli(
      ['render', dir, '-o', join(work, 'plain.mp4'), '--no-watermark', '--no-invisible-watermark', '--no-sign', '--loudness', 'off'],
      env,
    );
    const total = (made.ms + first.ms) / 1000;
    report({
      name: 'first cut: klappe new + render (1280x720, speech and sound, streaming loudness, visible + invisible watermark, C2PA), s',
      value: total,
      unit: 's',
      baseline: { name: 'render again, takes cached, no provenance or loudness', value: plain.ms / 1000 },
      note: `target ≤ 30 s; load average ${load} at the start, ${loadavg()[0]!.toFixed(1)} at the end`,
    });
    report({
      name: 'first cut: CPU of klappe new + render ÷ 2 cores (the wall time on an idle 2-core machine is at least this), s',
      value: (made.cpu + first.cpu) / 2,
      unit: 's',
      baseline: { name: 'the plain render again, CPU ÷ 2', value: plain.cpu / 2 },
      note: `CPU: new ${made.cpu.toFixed(1)} s, render ${first.cpu.toFixed(1)} s, plain render ${plain.cpu.toFixed(1)} s`,
    });
    const stages = first.stages.filter(([, ms]) => ms >= 50).map(([s, ms]) => `${s} ${(ms / 1000).toFixed(1)} s`);
    process.stdout.write(`  where the time goes: new ${(made.ms / 1000).toFixed(1)} s; ${stages.join('; ')}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
