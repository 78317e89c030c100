/** Per-test folders and environment for tests that touch the file system. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

export const ROOT = join(import.meta.dirname, '..', '..');
export const KLAPPE_BIN = join(ROOT, 'bin', 'klappe.mjs');
export const SHARED_MODELS = join(ROOT, '..', 'shared', 'models');

/** Whether ../shared (the models and the GRID clips the tests may load) is next to the project; a test that needs it skips, saying so. */
export function sharedAvailable(what: string): boolean {
  const ok = existsSync(SHARED_MODELS) && existsSync(join(SHARED_MODELS, '..', 'media', 'faces', 'grid_bbaf2n.mpg'));
  if (!ok) console.log(`${what} skipped: ../shared (models and media) is not next to the project`);
  return ok;
}

export function tempDir(prefix = 'klappe-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `klappe` CLI in a child process without blocking the test
 * worker (a long render under spawnSync starves vitest's RPC). Killed after 5 minutes.
 */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolvePromise) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ status: code ?? -1, stdout, stderr });
    });
  });
}

export function spawnCli(args: string[], env: Record<string, string> = {}, withStdin = false): ChildProcess {
  return spawn(process.execPath, [KLAPPE_BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: [withStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
}
