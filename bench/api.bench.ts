/**
 * The /v1 videos API: requests per second and p99 latency of
 * `GET /v1/videos/{id}` with 100 concurrent keep-alive clients on loopback,
 * next to a bare node:http server answering the same JSON. Each server runs
 * in its own process; the load generator (node:http Agent, keepAlive) here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from './support.js';

const ROOT = join(import.meta.dirname, '..');
const CLIENTS = 100;
const SECONDS = 5;

interface Served {
  child: ChildProcess;
  port: number;
  path: string;
  key: string;
  body?: string;
}

function startChild(args: string[], env: NodeJS.ProcessEnv): Promise<Served> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'run-ts.mjs'), join(ROOT, 'bench', 'api-server-child.ts'), ...args], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('\n')) resolve({ child, ...(JSON.parse(out.split('\n')[0]!) as Omit<Served, 'child'>) });
    });
    child.once('exit', (code) => reject(new Error(`bench server exited ${code}`)));
  });
}

/** 100 clients, each sending its next request when the last one answered, for SECONDS. */
async function load(s: Served): Promise<{ rps: number; p99: number; p50: number; errors: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const headers = s.key ? { Authorization: `Bearer ${s.key}` } : {};
  const latencies: number[] = [];
  let errors = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const t = performance.now();
      const req = request({ host: '127.0.0.1', port: s.port, path: s.path, agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) errors++;
          latencies.push(performance.now() - t);
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  // warm up the sockets
  await Promise.all(Array.from({ length: CLIENTS }, one));
  latencies.length = 0;
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) await one();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    p99: latencies[Math.floor(latencies.length * 0.99)]!,
    p50: latencies[Math.floor(latencies.length / 2)]!,
    errors,
  };
}

export async function benchApi(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'klappe-bench-api-'));
  const env = { ...process.env, KLAPPE_DATA_DIR: join(dir, 'data'), KLAPPE_CONFIG_DIR: join(dir, 'config') };
  const klappe = await startChild(['klappe', dir], env);
  const bare = await startChild(['bare', dir, klappe.body!], env);
  try {
    const k = await load(klappe);
    const b = await load(bare);
    report({
      name: `GET /v1/videos/{id}, ${CLIENTS} keep-alive clients`,
      value: k.rps,
      unit: 'requests/s',
      baseline: { name: 'bare node:http, same JSON', value: b.rps },
      note: `${k.errors} errors`,
    });
    report({
      name: 'GET /v1/videos/{id} p99 latency',
      value: k.p99,
      unit: 'ms',
      baseline: { name: 'bare node:http', value: b.p99 },
      note: `p50 ${k.p50.toFixed(2)} ms vs ${b.p50.toFixed(2)} ms`,
    });
  } finally {
    klappe.child.kill('SIGINT');
    bare.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dir, { recursive: true, force: true });
  }
}
