/**
 * A project is held open by one process at a time: `.project.klappe.lock`
 * next to `project.klappe` says which (pid, host, since when, the command)
 * and, while the owner serves its api, where to reach it. The api's token is
 * never written in the project folder: it is in a 0600 file of the user's
 * config folder (`owners/…json`), keyed by the project file.
 *
 * The lock is created atomically with its content (written to a temp file,
 * then hard-linked into place, which fails when a lock is there). A lock
 * left by a process that is gone (same host, pid not running) is taken over.
 */
import { createHash } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { KlappeError } from '../common/errors.js';
import { projectFilePath } from '../model/project-file.js';
import { tempPathFor, writeFileAtomic } from '../util/atomic-file.js';
import { configDir } from '../util/paths.js';
import { processAlive } from '../util/process-alive.js';
import { throwInjectedWriteFault, writeError } from '../util/write-errors.js';

export const LOCK_FILE = '.project.klappe.lock';

export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  /** What the owner is: "klappe generate …", "Klappe studio". */
  command: string;
  /** Where the owner serves the api (the token is in the owner's per-user file, never here). */
  api?: { url: string };
}

/** How to reach an owner's api: its WebSocket base URL and token. */
export interface OwnerApi {
  url: string;
  token: string;
}

let lockCommand = 'Klappe studio';

/** What this process says it is in the locks it takes (the CLI sets "klappe COMMAND …"). */
export function setLockCommand(command: string): void {
  lockCommand = command;
}

export function lockPathFor(projectFile: string): string {
  return join(dirname(projectFilePath(projectFile)), LOCK_FILE);
}

export function readLock(projectFile: string): LockOwner | undefined {
  const path = lockPathFor(projectFile);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const o = JSON.parse(text) as LockOwner;
    if (Number.isInteger(o.pid) && typeof o.hostname === 'string') return o;
  } catch {
    /* damaged: treated as a lock of nobody */
  }
  let since = new Date().toISOString();
  try {
    since = statSync(path).mtime.toISOString();
  } catch {
    /* gone meanwhile */
  }
  return { pid: 0, hostname: hostname(), startedAt: since, command: 'unknown (unreadable lock file)' };
}

/** The owner is on this host and its process is gone. */
export function isStale(owner: LockOwner): boolean {
  return owner.hostname === hostname() && !processAlive(owner.pid);
}

export function describeOwner(owner: LockOwner): string {
  const host = owner.hostname === hostname() ? '' : ` on ${owner.hostname}`;
  return `pid ${owner.pid}${host} (${owner.command}, since ${owner.startedAt})`;
}

export function lockedError(projectFile: string, owner: LockOwner, waitedSeconds?: number): KlappeError {
  const file = projectFilePath(projectFile);
  return new KlappeError({
    code: 'PROJECT_LOCKED',
    message: `${file} is open in another Klappe process: ${describeOwner(owner)}${waitedSeconds !== undefined ? `; waited ${waitedSeconds} s` : ''}`,
    file,
    hint: owner.api
      ? 'It serves its api but its token file is missing; close it there and try again.'
      : 'Wait for it to finish or close the project there (a project served with `klappe serve --project DIR` takes edits from other commands); --wait SECONDS waits longer.',
  });
}

/** The owner's api, when it serves one and its token file (this user's) names the same process. */
export function ownerApi(projectFile: string, owner: LockOwner): OwnerApi | undefined {
  if (!owner.api) return undefined;
  try {
    const o = JSON.parse(readFileSync(tokenFileFor(projectFile), 'utf8')) as { pid: number; url: string; token: string };
    return o.pid === owner.pid && o.url === owner.api.url ? { url: o.url, token: o.token } : undefined;
  } catch {
    return undefined;
  }
}

function tokenFileFor(projectFile: string): string {
  const key = createHash('sha256').update(projectFilePath(projectFile)).digest('hex').slice(0, 32);
  return join(configDir(), 'owners', `${key}.json`);
}

const held = new Set<ProjectLock>();
let exitHook = false;

export class ProjectLock {
  private owner: LockOwner;
  private released = false;

  private constructor(
    readonly projectFile: string,
    owner: LockOwner,
  ) {
    this.owner = owner;
    held.add(this);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const l of [...held]) l.release();
      });
    }
  }

  /**
   * Takes the project's lock, or says who holds it. A lock of a process that
   * is gone is taken over (`onTakeOver` gets a message naming it).
   */
  static tryAcquire(projectFile: string, opts: { onTakeOver?: (message: string) => void } = {}): ProjectLock | LockOwner {
    const file = projectFilePath(projectFile);
    const path = lockPathFor(file);
    for (let tries = 0; tries < 5; tries++) {
      const owner: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), command: lockCommand };
      if (createExclusive(path, JSON.stringify(owner))) return new ProjectLock(file, owner);
      const there = readLock(file);
      if (!there) continue; // released meanwhile
      if (!isStale(there)) return there;
      if (takeOver(path, there)) opts.onTakeOver?.(`${file}: took over the lock of ${describeOwner(there)}: that process is gone`);
    }
    return readLock(file) ?? { pid: 0, hostname: hostname(), startedAt: new Date().toISOString(), command: 'unknown' };
  }

  /** Takes the lock or throws PROJECT_LOCKED naming the owner. */
  static acquire(projectFile: string, opts: { onTakeOver?: (message: string) => void } = {}): ProjectLock {
    const r = ProjectLock.tryAcquire(projectFile, opts);
    if (r instanceof ProjectLock) return r;
    throw lockedError(projectFile, r);
  }

  get info(): LockOwner {
    return this.owner;
  }

  /** Says in the lock (URL) and in the user's token file (URL and token) how to reach this process's api; undefined withdraws it. */
  advertise(api: OwnerApi | undefined): void {
    if (this.released) return;
    const { api: _old, ...rest } = this.owner;
    this.owner = api ? { ...rest, api: { url: api.url } } : rest;
    const tokenFile = tokenFileFor(this.projectFile);
    if (api) {
      mkdirSync(dirname(tokenFile), { recursive: true, mode: 0o700 });
      writeFileAtomic(
        tokenFile,
        JSON.stringify({ projectFile: this.projectFile, pid: process.pid, url: api.url, token: api.token }),
        0o600,
      );
      chmodSync(tokenFile, 0o600);
    } else {
      try {
        unlinkSync(tokenFile);
      } catch {
        /* none */
      }
    }
    writeFileAtomic(lockPathFor(this.projectFile), JSON.stringify(this.owner));
  }

  /** Removes the lock (when it is still this process's) and the token file. */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    const there = readLock(this.projectFile);
    if (there && there.pid === this.owner.pid && there.startedAt === this.owner.startedAt) {
      try {
        unlinkSync(lockPathFor(this.projectFile));
      } catch {
        /* gone */
      }
    }
    if (this.owner.api) {
      try {
        unlinkSync(tokenFileFor(this.projectFile));
      } catch {
        /* none */
      }
    }
  }
}

/** Creates `path` with `text` unless it exists (temp file + hard link: never a half-written lock). */
function createExclusive(path: string, text: string): boolean {
  const tmp = tempPathFor(path);
  try {
    throwInjectedWriteFault(path); // a read-only folder (tests only)
    writeFileSync(tmp, text);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never made */
    }
    throw writeError(e, path, 'the project lock');
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* gone */
    }
  }
}

/** Removes a stale lock, guarded so that two processes taking it over at once do not remove each other's new lock. */
function takeOver(path: string, stale: LockOwner): boolean {
  const guard = `${path}.takeover`;
  if (!createExclusive(guard, String(process.pid))) {
    try {
      const pid = Number(readFileSync(guard, 'utf8'));
      if (!processAlive(pid) || Date.now() - statSync(guard).mtimeMs > 10_000) unlinkSync(guard);
    } catch {
      /* gone meanwhile */
    }
    return false;
  }
  try {
    const now = readLockAt(path);
    if (!now || now.pid !== stale.pid || now.startedAt !== stale.startedAt) return false;
    unlinkSync(path);
    return true;
  } finally {
    try {
      unlinkSync(guard);
    } catch {
      /* gone */
    }
  }
}

function readLockAt(path: string): LockOwner | undefined {
  return readLock(join(dirname(path), 'project.klappe'));
}
