/** Per-test folders and environment for tests that touch the file system. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync, spawn, type ChildProcess } from 'node:child_process';

export const ROOT = join(import.meta.dirname, '..', '..');
export const KLAPPE_BIN = join(ROOT, 'bin', 'klappe.mjs');
export const SHARED_MODELS = join(ROOT, '..', 'shared', 'models');

export function tempDir(prefix = 'klappe-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `klappe` CLI in a child process with its own data and config folders. */
export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [KLAPPE_BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function spawnCli(args: string[], env: Record<string, string> = {}, withStdin = false): ChildProcess {
  return spawn(process.execPath, [KLAPPE_BIN, ...args], { env: { ...process.env, ...env }, stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
}
