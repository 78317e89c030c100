/**
 * Issue 19, finding 4: credentials in a URL (user:password@, ?token=) never
 * reach the project file, the job database or api replies; a ComfyUI address
 * with a query string gets its endpoint in the path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectSession } from '../../engine/api/project-session.js';
import { StudioApi } from '../../engine/api/studio-api.js';
import { RecentProjects } from '../../engine/api/recent-projects.js';
import { SettingsStore } from '../../engine/api/settings-store.js';
import { openDatabase } from '../../engine/cache/database.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { KlappeError } from '../../engine/common/errors.js';
import { comfyUrl } from '../../engine/generate/cloud/comfyui-url.js';
import { JobStore } from '../../engine/jobs/job-store.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';
import { FileSecretStore, redactSecrets } from '../../engine/secrets/secret-store.js';
import { tempDir } from '../support/env.js';

const t = tempDir('klappe-secrets-url-');
afterAll(() => t.cleanup());
const LEAKY = 'comfyui chosen but http://alice:hunter22@gpu.example:8188/?token=tok-SECRET-1 did not answer';

describe('secrets in URLs', () => {
  it('are redacted from any text', () => {
    const out = redactSecrets(LEAKY);
    expect(out).not.toMatch(/hunter22|tok-SECRET-1|alice/);
    expect(out).toContain('http://[redacted]@gpu.example:8188/?token=[redacted]');
    expect(redactSecrets('https://h/x?a=1&api_key=K1&access_token=T2&password=P3#sig=S4')).toBe(
      'https://h/x?a=1&api_key=[redacted]&access_token=[redacted]&password=[redacted]#sig=[redacted]',
    );
    expect(redactSecrets('see https://example.com/path?page=2')).toBe('see https://example.com/path?page=2');
  });

  it("never reach a take's fallbackReason in project.klappe or .bak", () => {
    const dir = join(t.dir, 'film');
    createProjectFromTemplate(dir, 'two-scenes', 'Secrets');
    const session = ProjectSession.open(dir, () => {});
    try {
      const shotId = session.doc.scenes[0]!.shots[0]!.id;
      session.recordTake(
        shotId,
        {
          cacheKey: 'k1',
          backend: 'previz',
          model: 'previz',
          modelVersion: '1',
          seed: 1,
          media: { video: 'a'.repeat(64) },
          duration: 24,
          params: {},
        } as never,
        { fallbackReason: LEAKY },
      );
      expect(session.doc.takes.at(-1)!.fallbackReason).not.toMatch(/hunter22|tok-SECRET-1/);
      session.save();
      session.save();
    } finally {
      session.close();
    }
    for (const f of ['project.klappe', 'project.klappe.bak'])
      expect(readFileSync(join(dir, f), 'utf8')).not.toMatch(/hunter22|tok-SECRET-1/);
  });

  it('never reach jobs.fallback_reason or a job error in the database', () => {
    const db = openDatabase(join(t.dir, 'jobs.db'));
    const jobs = new JobStore(db);
    const job = jobs.insert({
      projectFile: join(t.dir, 'film', 'project.klappe'),
      shotId: 'sh1',
      backend: 'previz',
      fallbackReason: LEAKY,
      cacheKey: 'k',
      options: {},
    });
    const rows = JSON.stringify(db.prepare('SELECT * FROM jobs').all());
    expect(rows).not.toMatch(/hunter22|tok-SECRET-1/);
    expect(jobs.get(job.id)!.fallbackReason).toContain('[redacted]');
    db.close();
  });

  it('never reach an api reply', async () => {
    const api = new StudioApi({
      store: new MediaStore(join(t.dir, 'media')),
      settings: new SettingsStore(join(t.dir, 'cfg'), new FileSecretStore(join(t.dir, 'cfg', 'secrets.json'))),
      recent: new RecentProjects(join(t.dir, 'cfg')),
      projectsDir: join(t.dir, 'p'),
      mediaUrl: (h) => `/media/${h}`,
      queueOptions: { db: openDatabase(join(t.dir, 'api.db')) },
    });
    try {
      (api as unknown as { handlers: Record<string, () => never> }).handlers['app.info'] = () => {
        throw new KlappeError({ code: 'COMFYUI_DOWN', message: LEAKY, hint: 'check http://bob:pw12345@h/' });
      };
      const e = (await api.call('app.info', {}).catch((x: unknown) => x)) as KlappeError;
      expect(e.code).toBe('COMFYUI_DOWN');
      expect(`${e.message} ${e.hint}`).not.toMatch(/hunter22|tok-SECRET-1|pw12345/);
    } finally {
      await api.shutdown();
    }
  });

  it('a ComfyUI address with a query keeps the query after the endpoint path', () => {
    expect(comfyUrl('http://h:8188', '/prompt')).toBe('http://h:8188/prompt');
    expect(comfyUrl('http://h:8188/', '/prompt')).toBe('http://h:8188/prompt');
    expect(comfyUrl('https://proxy.example/comfy/?token=abc', '/prompt')).toBe('https://proxy.example/comfy/prompt?token=abc');
    expect(comfyUrl('https://proxy.example/comfy?token=abc', '/view', new URLSearchParams({ filename: 'a b.mp4', type: 'output' }))).toBe(
      'https://proxy.example/comfy/view?token=abc&filename=a+b.mp4&type=output',
    );
    expect(comfyUrl('http://h:8188?token=abc', '/ws', { clientId: 'c1' }).replace(/^http/, 'ws')).toBe(
      'ws://h:8188/ws?token=abc&clientId=c1',
    );
  });
});
