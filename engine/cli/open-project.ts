/**
 * How a CLI command that changes a project gets at it (DESIGN.md "One
 * writer"): it takes the project's lock and opens a ProjectSession, like the
 * studio does; when another process holds the project and serves its api,
 * the command goes through that api instead; otherwise it waits for the lock
 * (saying once who holds it) up to --wait seconds, then fails naming the owner.
 */
import { existsSync } from 'node:fs';
import { cancelledError, inputError } from '../common/errors.js';
import { describeOwner, lockedError, ownerApi, ProjectLock, type LockOwner } from '../api/project-lock.js';
import { ProjectSession } from '../api/project-session.js';
import { loadProject, projectDirOf, projectFilePath } from '../model/project-file.js';
import { stringOption, type CliIO, type Options, type Parsed } from './command.js';
import { OwnerClient } from './owner-client.js';

export const DEFAULT_WAIT_SECONDS = 120;

/** The option every command that changes a project takes. */
export const WAIT_OPTION: Options = { wait: { type: 'string' } };
export const WAIT_HELP = `--wait SECONDS: when another Klappe process holds the project (and serves no api), wait this long for it (default ${DEFAULT_WAIT_SECONDS}).`;

export type OpenedProject =
  | { kind: 'local'; file: string; dir: string; session: ProjectSession; close(): void }
  | { kind: 'remote'; file: string; dir: string; owner: LockOwner; client: OwnerClient; close(): void };

export function waitSeconds(parsed: Parsed): number {
  const text = stringOption(parsed, 'wait');
  if (text === undefined) return DEFAULT_WAIT_SECONDS;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0)
    throw inputError('BAD_ARGUMENTS', `--wait must be a number of seconds (0 or more), not "${text}"`, { path: '--wait' });
  return n;
}

export interface OpenOptions {
  /**
   * While this says the owner is still working for us (e.g. running jobs this
   * command would otherwise run itself), the wait does not time out.
   */
  ownerBusy?: (owner: LockOwner) => string | undefined;
}

export async function openProject(pathOrDir: string, parsed: Parsed, io: CliIO, opts: OpenOptions = {}): Promise<OpenedProject> {
  const file = projectFilePath(pathOrDir);
  const dir = projectDirOf(file);
  if (!existsSync(file)) loadProject(file); // the usual "no project at …" error
  const wait = waitSeconds(parsed);
  let until = Date.now() + wait * 1000;
  let told = false;
  let toldBusy = false;
  for (;;) {
    if (io.signal.aborted) throw cancelledError('waiting for the project');
    const r = ProjectLock.tryAcquire(file, { onTakeOver: (m) => io.err(`klappe: ${m}`) });
    if (r instanceof ProjectLock) {
      const session = ProjectSession.open(file, () => {}, { lock: r });
      return { kind: 'local', file, dir, session, close: () => session.close() };
    }
    const api = ownerApi(file, r);
    if (api) {
      try {
        const client = await OwnerClient.connect(api);
        // the owner may have moved on to another project since it wrote the lock
        if ((await client.call('project.get'))?.file === file) {
          io.err(`klappe: ${file} is open in ${describeOwner(r)}; working through its api`);
          return { kind: 'remote', file, dir, owner: r, client, close: () => client.close() };
        }
        client.close();
      } catch {
        /* not reachable (yet): wait like for an owner without api */
      }
    }
    const busy = opts.ownerBusy?.(r);
    if (busy) {
      until = Date.now() + wait * 1000;
      if (!toldBusy) io.err(`klappe: ${file} is open in ${describeOwner(r)}, which ${busy}; waiting for it`);
      toldBusy = told = true;
    }
    if (Date.now() >= until) throw lockedError(file, r, wait);
    if (!told) {
      told = true;
      io.err(`klappe: ${file} is open in ${describeOwner(r)}; waiting up to ${wait} s for it`);
    }
    await new Promise((res) => setTimeout(res, 200));
  }
}
