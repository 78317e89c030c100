/**
 * Faces in a generated take are matched against the cameos before the take is
 * kept: a registered cameo without a grant fails the job (SAFETY_BLOCKED, no
 * take, nothing cached); with a grant the take is kept; both are in the
 * decision log. The "generator" is the loopback Veo server returning a real
 * talking-face clip.
 *
 * Video clips from "The Grid Audio-Visual Speech Corpus", Martin Cooke, Jon Barker,
 * Stuart Cunningham, Xu Shao (2006), https://doi.org/10.5281/zenodo.3625687, licensed under
 * CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Unmodified.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectSession } from '../../engine/api/project-session.js';
import { closeDatabases } from '../../engine/cache/database.js';
import { deriveCameoReferences } from '../../engine/cameo/cameo-references.js';
import { JobQueue } from '../../engine/jobs/queue.js';
import { runFfmpeg } from '../../engine/media/run.js';
import type { KnownLikeness } from '../../engine/safety/frame-check.js';
import type { SecretStore } from '../../engine/secrets/secret-store.js';
import { tempDir } from '../support/env.js';
import { openTestQueue } from '../support/job-queue.js';
import { GRID_A, gridAvailable } from '../support/grid-faces.js';
import { VeoTestServer } from '../servers/veo-server.js';

const available = gridAvailable();
if (!available) console.log('take likeness tests skipped: the GRID clips are not in ../shared/media/faces');

const KEY = 'AIzaTEST-veo-key-0123456789abcdef';
const t = tempDir('klappe-take-likeness-');
const secrets: SecretStore = { get: (n) => (n === 'gemini' ? KEY : undefined), set: () => {}, delete: () => {}, source: () => undefined };
let veo: VeoTestServer;
let file: string;
let session: ProjectSession;
let queue: JobQueue;
let granted = false;
let speaker: Omit<KnownLikeness, 'granted'>;

beforeAll(async () => {
  if (!available) return;
  const clip = join(t.dir, 'face.mp4');
  await runFfmpeg(['-v', 'error', '-i', GRID_A, '-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-y', clip]);
  veo = await new VeoTestServer({ apiKey: KEY, video: clip }).start();
  process.env.KLAPPE_GEMINI_BASE_URL = veo.url;
  process.env.KLAPPE_VEO_POLL_MS = '50';
  process.env.KLAPPE_GEMINI_API_KEY = KEY;
  const ref = await deriveCameoReferences(GRID_A, join(t.dir, 'ref'), { crops: 1, size: 128 });
  speaker = { id: 'cameo-0123456789abcdef', name: 'Speaker one', embedding: ref.embedding };
  ({ file, session, queue } = openTestQueue(t.dir, { secrets, likenesses: () => [{ ...speaker, granted }] }));
}, 180_000);

afterAll(async () => {
  await queue?.stop({ abort: true });
  session?.close();
  await veo?.close();
  delete process.env.KLAPPE_GEMINI_BASE_URL;
  delete process.env.KLAPPE_VEO_POLL_MS;
  delete process.env.KLAPPE_GEMINI_API_KEY;
  closeDatabases();
  t.cleanup();
});

describe.skipIf(!available)('faces in a new take', () => {
  it('blocks a take showing a cameo without a grant; keeps it with one; logs both', async () => {
    const shot = session.doc.scenes[0]!.shots[0]!;
    queue.start();
    const [blocked] = await queue.waitFor(
      queue.enqueue(file, [shot.id], { size: { width: 320, height: 180 }, backendId: 'veo' }).map((j) => j.id),
    );
    expect(blocked).toMatchObject({ state: 'failed', error: { code: 'SAFETY_BLOCKED', kind: 'input' } });
    expect(blocked!.error!.message).toMatch(/the new take of shot 1\/1 shows Speaker one \(a registered cameo\) without a grant/);
    expect(session.doc.takes.some((tk) => tk.shotId === shot.id)).toBe(false);
    granted = true;
    const [kept] = await queue.waitFor(
      queue.enqueue(file, [shot.id], { size: { width: 320, height: 180 }, backendId: 'veo', seed: 2 }).map((j) => j.id),
    );
    expect(kept).toMatchObject({ state: 'succeeded' });
    const log = queue.decisions
      .list({ limit: 20 })
      .filter((e) => e.subject === 'frames' && e.rule !== 'frames.unchecked' && e.ref === `${file}#${shot.id}`);
    expect(log.map((e) => e.outcome)).toEqual(['allow', 'block']);
  }, 240_000);
});
