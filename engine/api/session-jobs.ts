/**
 * Generation for an open ProjectSession outside the studio (the CLI, benches):
 * the persistent job queue reads the session's document and hands each
 * finished take to the session, which records it; nothing else writes the file.
 */
import { KlappeError } from '../common/errors.js';
import type { MakeMissingTakes } from '../export/export-project.js';
import { firstFailure, generateShots, type GenerateShotsOptions, type GenerateShotsResult } from '../jobs/generate-shots.js';
import type { ProjectAccess, QueueOptions } from '../jobs/queue.js';
import type { ProjectSession } from './project-session.js';

/** The queue's view of open sessions: their documents, and where their takes go. */
export function sessionAccess(...sessions: ProjectSession[]): ProjectAccess {
  const byFile = (file: string) => sessions.find((s) => s.file === file);
  return {
    doc: (file) => byFile(file)?.doc,
    recordTake: (file, shotId, entry, opts) => {
      const s = byFile(file);
      if (!s) throw new KlappeError({ code: 'PROJECT_NOT_OPEN', message: `${file} is not open in this process`, file });
      return s.recordTake(shotId, entry, opts);
    },
  };
}

/** Generates shots of the session through the queue and waits; the takes are in the session afterwards. */
export function generateInSession(
  session: ProjectSession,
  shotIds: string[],
  opts: Omit<GenerateShotsOptions, 'queue'> = {},
): Promise<GenerateShotsResult> {
  return generateShots(session.file, shotIds, { ...opts, queueOptions: { ...opts.queueOptions, projects: sessionAccess(session) } });
}

/** The export's "make missing takes" step for a session: generate, fail on the first failure, hand back the session's document. */
export function sessionTakeMaker(
  session: ProjectSession,
  opts: { backendId?: string; queueOptions?: Omit<QueueOptions, 'projects'> } = {},
): MakeMissingTakes {
  return async (shotIds, ctx) => {
    const progress = new Map<string, number>();
    const result = await generateInSession(session, shotIds, {
      backendId: opts.backendId,
      signal: ctx.signal,
      queueOptions: opts.queueOptions,
      onEvent: (e) => {
        progress.set(e.job.id, e.job.progress);
        ctx.onProgress([...progress.values()].reduce((a, b) => a + b, 0) / shotIds.length);
      },
    });
    const failure = firstFailure(result);
    if (failure) throw failure;
    return { doc: session.doc, generated: result.generated.map((j) => j.shotId) };
  };
}
