/** A two-scenes project open in its one writer, and a real job queue (SQLite and media store under `dir/data`) serving it. */
import { join } from 'node:path';
import { openDatabase } from '../../engine/cache/database.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { ProjectSession } from '../../engine/api/project-session.js';
import { sessionAccess } from '../../engine/api/session-jobs.js';
import { JobQueue, type QueueOptions } from '../../engine/jobs/queue.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import type { SecretStore } from '../../engine/secrets/secret-store.js';

/** A secret store with no keys (backends that need one are unavailable). */
export const noSecrets: SecretStore = { get: () => undefined, set: () => {}, delete: () => {}, source: () => undefined };

export interface TestQueue {
  file: string;
  session: ProjectSession;
  queue: JobQueue;
}

/** `options` override the defaults (no secrets, a 50 ms poll). */
export function openTestQueue(dir: string, options: QueueOptions = {}): TestQueue {
  const file = createProjectFromTemplate(join(dir, 'p'), 'two-scenes');
  const session = ProjectSession.open(file, () => {});
  const queue = new JobQueue({
    db: openDatabase(join(dir, 'data', 'klappe.db')),
    store: new MediaStore(join(dir, 'data', 'media')),
    secrets: noSecrets,
    pollMs: 50,
    projects: sessionAccess(session),
    ...options,
  });
  return { file, session, queue };
}
