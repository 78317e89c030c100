/**
 * One open project: the document with its undo history, save, and autosave
 * of a recovery copy (`.project.klappe.recovery`, written atomically a moment
 * after each edit) so that a crash loses at most a few seconds. Opening a
 * project whose recovery copy is newer than the saved file offers the
 * recovered edits.
 *
 * The session is the only writer of `project.klappe` (DESIGN.md "One
 * writer"): it holds the project's lock (project-lock.ts) from open to close,
 * and jobs, exports and the CLI hand it what they made (`recordTake`, commands).
 */
import { existsSync, readFileSync, statSync, unlinkSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import { join } from 'node:path';
import { applyCommand } from '../model/commands/index.js';
import { createHistory, execute, redo, undo, type History } from '../model/history.js';
import type { CachedTake } from '../cache/cache-index.js';
import { KlappeError } from '../common/errors.js';
import { loadProject, parseProject, projectDirOf, projectFilePath, type LoadedProject } from '../model/project-file.js';
import { writeProjectFile } from '../model/project-writer.js';
import type { Project, TakeCost } from '../model/schema.js';
import { sweepAtomicTemps, writeFileAtomic, writeFileAtomicAsync } from '../util/atomic-file.js';
import { processAlive } from '../util/process-alive.js';
import { sha256Hex } from '../util/hash.js';
import type { DocPatch, HistoryState, ProjectChange, ProjectState } from './contract.js';
import { ProjectLock, type OwnerApi } from './project-lock.js';
import { redactSecrets } from '../secrets/secret-store.js';

export const RECOVERY_FILE = '.project.klappe.recovery';
export const AUTOSAVE_DELAY_MS = 1000;

/** What a session reports after each change: the patches, not the document (`project.changed`). */
export type SessionChange = ProjectChange;

/**
 * The highest version any session of this process has reached: a project
 * opened later starts above it, so a client holding another project's
 * document sees a version gap and asks for the whole document instead of
 * applying patches to the wrong one.
 */
let highestVersion = 0;

export interface SessionOptions {
  autosaveDelayMs?: number;
  /** The project's lock, when the caller took it already (the CLI waits for it); else it is taken on open. */
  lock?: ProjectLock;
  /** Told when the lock of a process that is gone was taken over. */
  onTakeOver?: (message: string) => void;
  /**
   * Told when another program changed project.klappe while it is open (the
   * file is watched): save then refuses to overwrite it (PROJECT_CHANGED_ON_DISK)
   * until the user reloads it or saves with `overwrite`.
   */
  onDiskChange?: (file: string) => void;
}

/** How often the open project file is checked for changes by another program. */
export const DISK_WATCH_INTERVAL_MS = 500;

/** How a finished generation is recorded: why a backend fell back, whether the take becomes the shot's current one. */
export interface RecordTakeOptions {
  fallbackReason?: string;
  select?: boolean;
  /** What making the take really cost (the queue measures it). */
  cost?: TakeCost;
}

export class ProjectSession {
  readonly dir: string;
  readonly file: string;
  private history: History;
  private version = ++highestVersion;
  private dirty = false;
  private closed = false;
  private autosaveTimer: NodeJS.Timeout | undefined;
  /** The document version the recovery copy on disk holds (when it is this.version, nothing is left to write). */
  private recoveryVersion = -1;
  /** Bumped by every recovery write and removal: an asynchronous write that is no longer the latest drops its temp file. */
  private recoveryGen = 0;
  /** The recovery writes, one after another. */
  private recoveryWrite: Promise<void> = Promise.resolve();
  /** sha256 of project.klappe as this session last read or wrote it: anything else there was written by another program. */
  private diskHash: string;
  private watching?: (cur: Stats, prev: Stats) => void;
  recovery?: { savedAt: string; doc: Project };

  private constructor(
    loaded: LoadedProject,
    private readonly lock: ProjectLock,
    private readonly onChange: (c: SessionChange) => void,
    private readonly autosaveDelayMs = AUTOSAVE_DELAY_MS,
  ) {
    this.dir = loaded.dir;
    this.file = loaded.file;
    this.history = createHistory(loaded.doc);
    this.recovery = readRecovery(loaded);
    this.diskHash = hashOfFile(loaded.file);
  }

  /** Takes the project's lock (PROJECT_LOCKED names the process holding it) and reads the file. */
  static open(dir: string, onChange: (c: SessionChange) => void, opts: SessionOptions = {}): ProjectSession {
    const lock = opts.lock ?? ProjectLock.acquire(projectFilePath(dir), { onTakeOver: opts.onTakeOver });
    try {
      const projectDir = projectDirOf(projectFilePath(dir));
      sweepAtomicTemps(projectDir, processAlive); // what a kill during an earlier save left
      sweepAtomicTemps(join(projectDir, 'exports'), processAlive); // and during an export into the default folder
      const session = new ProjectSession(loadProject(dir), lock, onChange, opts.autosaveDelayMs);
      if (opts.onDiskChange) session.watchDisk(opts.onDiskChange);
      return session;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /** Says in the lock how other processes reach this one's api (undefined: not serving). */
  advertise(api: OwnerApi | undefined): void {
    this.lock.advertise(api);
  }

  /** The document's version (it goes up with each change). */
  get currentVersion(): number {
    return this.version;
  }

  get doc(): Project {
    return this.history.doc;
  }

  state(): ProjectState {
    return {
      dir: this.dir,
      file: this.file,
      doc: this.doc,
      version: this.version,
      history: this.historyState(),
      dirty: this.dirty,
      ...(this.recovery ? { recovery: { savedAt: this.recovery.savedAt } } : {}),
    };
  }

  historyState(): HistoryState {
    const last = this.history.past[this.history.past.length - 1];
    const next = this.history.future[0];
    return { canUndo: !!last, canRedo: !!next, ...(last ? { undoLabel: last.label } : {}), ...(next ? { redoLabel: next.label } : {}) };
  }

  /** One user gesture: all commands become one undo step. */
  apply(commands: unknown[] | unknown, label?: string): void {
    this.requireOpen();
    const next = execute(this.history, commands, label);
    if (next === this.history) return;
    this.history = next;
    const entry = next.past[next.past.length - 1]!;
    this.changed(entry.label, entry.patches);
  }

  /** A change that is not a user gesture (a finished generation adds its take): not undoable. */
  applyOutsideHistory(command: unknown): void {
    this.requireOpen();
    const r = applyCommand(this.history.doc, command);
    this.history = { ...this.history, doc: r.doc };
    this.changed('Add take', r.patches);
  }

  /**
   * Records a finished generation (media in the cache, its metadata) as a
   * take of the shot, outside the undo history; the take's id. A take with
   * the same cache key and video is already there: that one is returned, so
   * a resumed or repeated job never adds twice.
   */
  recordTake(shotId: string, entry: CachedTake, opts: RecordTakeOptions = {}): string {
    const have = this.doc.takes.find((t) => t.shotId === shotId && t.cacheKey === entry.cacheKey && t.media.video === entry.media.video);
    if (have) return have.id;
    const { cacheKey, ...rest } = entry;
    this.applyOutsideHistory({
      type: 'take.add',
      select: opts.select ?? false,
      take: {
        ...rest,
        cacheKey,
        shotId,
        status: 'ready',
        createdAt: new Date().toISOString(),
        ...(opts.fallbackReason ? { fallbackReason: redactSecrets(opts.fallbackReason) } : {}),
        ...(opts.cost ? { cost: opts.cost } : {}),
      },
    });
    return this.doc.takes[this.doc.takes.length - 1]!.id;
  }

  undo(): void {
    const entry = this.history.past[this.history.past.length - 1];
    const next = undo(this.history);
    if (next === this.history || !entry) return;
    this.history = next;
    this.changed(`Undo ${entry.label}`, entry.inversePatches);
  }

  redo(): void {
    const entry = this.history.future[0];
    const next = redo(this.history);
    if (next === this.history || !entry) return;
    this.history = next;
    this.changed(`Redo ${entry.label}`, entry.patches);
  }

  /** Takes (recovered: true) or discards the recovery copy found on open. */
  resolveRecovery(accept: boolean): void {
    const rec = this.recovery;
    this.recovery = undefined;
    if (accept && rec) {
      this.history = { doc: rec.doc, past: [], future: [] };
      this.changed('Recover edits', [{ op: 'replace', path: [], value: rec.doc }]);
    } else {
      this.removeRecovery();
    }
  }

  /**
   * Writes project.klappe. When another program changed it since this session
   * read or wrote it, PROJECT_CHANGED_ON_DISK unless `overwrite` (the user
   * chose to keep this version); `reload` takes the other program's instead.
   */
  save(opts: { overwrite?: boolean } = {}): { file: string; savedAt: string } {
    this.requireOpen();
    if (!opts.overwrite && this.changedOnDisk()) {
      throw new KlappeError({
        code: 'PROJECT_CHANGED_ON_DISK',
        kind: 'input',
        message: `${this.file} was changed by another program since it was opened; not overwritten`,
        file: this.file,
        hint: 'Reload it to take the other version (your unsaved edits are dropped), or save with overwrite to keep yours.',
      });
    }
    this.flushTimer();
    writeProjectFile(this.file, this.doc, { by: 'ProjectSession.save' });
    this.diskHash = hashOfFile(this.file);
    this.removeRecovery();
    this.dirty = false;
    this.emit([]);
    return { file: this.file, savedAt: new Date().toISOString() };
  }

  /** Whether project.klappe on disk is not what this session last read or wrote (another program wrote it). */
  changedOnDisk(): boolean {
    return hashOfFile(this.file) !== this.diskHash;
  }

  /**
   * Reads project.klappe again (another program changed it): the document
   * becomes the file's, the undo history starts over, unsaved edits and the
   * recovery copy are dropped.
   */
  reload(): void {
    this.requireOpen();
    const loaded = loadProject(this.dir);
    this.flushTimer();
    this.history = createHistory(loaded.doc);
    this.diskHash = hashOfFile(loaded.file);
    this.recovery = undefined;
    this.removeRecovery();
    this.version++;
    highestVersion = Math.max(highestVersion, this.version);
    this.dirty = false;
    this.emit([{ op: 'replace', path: [], value: loaded.doc }], 'Reload from disk');
  }

  /**
   * Writes the recovery copy now if it lags behind the document (after an
   * edit, or after a write that failed: its error is thrown), on libuv's
   * threads: the event loop does not wait for the disk.
   */
  async flushAutosave(): Promise<void> {
    this.flushTimer();
    await this.writeRecovery();
  }

  /** Waits for a recovery write in flight (before the process ends: its temp file would stay behind). */
  async recoveryWritesDone(): Promise<void> {
    await this.recoveryWrite.catch(() => {});
  }

  /** Writes any pending recovery copy and releases the project's lock; the session is not used afterwards (the lock goes even when the write fails). */
  close(): void {
    if (this.closed) return;
    if (this.watching) unwatchFile(this.file, this.watching);
    try {
      this.flushTimer();
      if (this.recoveryLags()) {
        this.recoveryGen++; // an asynchronous write still in flight must not land over this one
        writeFileAtomic(join(this.dir, RECOVERY_FILE), this.recoveryJson());
        this.recoveryVersion = this.version;
      }
    } finally {
      this.closed = true;
      this.lock.release();
    }
  }

  /** Polls project.klappe; `onChange` hears of each change another program made (not of this session's saves). */
  private watchDisk(onChange: (file: string) => void): void {
    let told = '';
    this.watching = (cur) => {
      if (this.closed || cur.mtimeMs === 0) return;
      const hash = hashOfFile(this.file);
      if (hash === this.diskHash || hash === told) return;
      told = hash;
      onChange(this.file);
    };
    watchFile(this.file, { interval: DISK_WATCH_INTERVAL_MS, persistent: false }, this.watching);
  }

  private requireOpen(): void {
    if (this.closed) throw new KlappeError({ code: 'PROJECT_CLOSED', message: `${this.file} was closed`, file: this.file });
  }

  /** One change of the document: the next version, sent as the patches that made it. */
  private changed(label: string, patches: DocPatch[]): void {
    this.version++;
    highestVersion = Math.max(highestVersion, this.version);
    this.dirty = true;
    this.scheduleAutosave();
    this.emit(patches, label);
  }

  private emit(patches: DocPatch[], label?: string): void {
    this.onChange({ version: this.version, patches, history: this.historyState(), dirty: this.dirty, ...(label ? { label } : {}) });
  }

  private scheduleAutosave(): void {
    if (this.autosaveTimer) return;
    this.autosaveTimer = setTimeout(() => {
      this.autosaveTimer = undefined;
      // a failure stays visible: the recovery copy still lags, so the next api call writes it again and reports the error
      this.writeRecovery().catch(() => {});
    }, this.autosaveDelayMs);
    this.autosaveTimer.unref?.();
  }

  private flushTimer(): void {
    if (this.autosaveTimer) clearTimeout(this.autosaveTimer);
    this.autosaveTimer = undefined;
  }

  /** Unsaved edits that the recovery copy on disk does not hold yet. */
  private recoveryLags(): boolean {
    return this.dirty && !this.closed && this.recoveryVersion !== this.version;
  }

  private recoveryJson(): string {
    return JSON.stringify({ savedAt: new Date().toISOString(), doc: this.doc });
  }

  /** Queues a recovery write of the document as it is when the write starts (skipped when the copy is current). */
  private writeRecovery(): Promise<void> {
    const write = this.recoveryWrite
      .catch(() => {})
      .then(async () => {
        if (!this.recoveryLags()) return;
        const version = this.version;
        const gen = ++this.recoveryGen;
        const landed = await writeFileAtomicAsync(join(this.dir, RECOVERY_FILE), this.recoveryJson(), {
          stillWanted: () => gen === this.recoveryGen,
        });
        if (landed) this.recoveryVersion = version;
      });
    this.recoveryWrite = write;
    return write;
  }

  private removeRecovery(): void {
    this.recoveryGen++; // a write in flight drops its temp file
    this.recoveryVersion = -1;
    try {
      unlinkSync(join(this.dir, RECOVERY_FILE));
    } catch {
      /* none */
    }
  }
}

/** A recovery copy that is newer than the project file and differs from it. */
function readRecovery(loaded: LoadedProject): { savedAt: string; doc: Project } | undefined {
  const file = join(loaded.dir, RECOVERY_FILE);
  if (!existsSync(file)) return undefined;
  try {
    if (statSync(file).mtimeMs < statSync(loaded.file).mtimeMs) return undefined;
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { savedAt: string; doc: unknown };
    const { doc } = parseProject(JSON.stringify(raw.doc), file);
    if (JSON.stringify(doc) === JSON.stringify(loaded.doc)) return undefined;
    return { savedAt: raw.savedAt, doc };
  } catch {
    return undefined; // a damaged recovery copy is not offered; the saved file stays as it is
  }
}

/** sha256 of a file's bytes ('' when it cannot be read). */
function hashOfFile(file: string): string {
  try {
    return sha256Hex(readFileSync(file));
  } catch {
    return '';
  }
}
