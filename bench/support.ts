/** Tiny benchmark helpers: time a function several times, report the median, print one line per result. */
import { readFileSync } from 'node:fs';
import { ProjectSession } from '../engine/api/project-session.js';
import { sessionTakeMaker } from '../engine/api/session-jobs.js';
import type { MediaStore } from '../engine/cache/media-store.js';
import { shotsNeedingTakes } from '../engine/export/export-project.js';

export async function medianMs(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * CPU seconds this process has used (all threads) plus those of the child processes it has
 * waited for (ffmpeg…), from /proc on Linux; elsewhere this process's own only.
 */
export function cpuSeconds(): number {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // fields 14–17 of stat (utime, stime, cutime, cstime), in clock ticks
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
}

/** The children's user + sys seconds from the output of bash's `times` (its last line). */
export function childCpuFromTimes(stdout: string): number {
  const child = stdout.trim().split('\n').at(-1)!.trim().split(/\s+/);
  const sec = (t: string) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  };
  return sec(child[0]!) + sec(child[1]!);
}

export interface BenchLine {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  note?: string;
}

export const results: BenchLine[] = [];

export function report(line: BenchLine): void {
  results.push(line);
  const base = line.baseline
    ? `  | baseline ${line.baseline.name}: ${fmt(line.baseline.value)} ${line.unit}, ratio ${(line.value / line.baseline.value).toFixed(2)}`
    : '';
  process.stdout.write(`${line.name}: ${fmt(line.value)} ${line.unit}${base}${line.note ? `  (${line.note})` : ''}\n`);
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}

/** Makes the takes a project's sequence lacks (through its session and the job queue) and saves them: the set-up of export benchmarks. */
export async function makeTakes(dir: string, store: MediaStore, backendId: string): Promise<void> {
  const session = ProjectSession.open(dir, () => {});
  try {
    const missing = shotsNeedingTakes(session.doc, store);
    if (missing.length) await sessionTakeMaker(session, { backendId, queueOptions: { store } })(missing, { onProgress: () => {} });
    session.save();
  } finally {
    session.close();
  }
}
