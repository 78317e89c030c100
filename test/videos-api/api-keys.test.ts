/** `klappe api-keys create|list|revoke`: a key shown once, stored only as its hash (0600), revoked at once. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiKeyStore } from '../../engine/host/videos-api/api-keys.js';
import { runCli, tempDir } from '../support/env.js';

const t = tempDir('klappe-api-keys-');
const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
afterAll(() => t.cleanup());

describe('klappe api-keys', () => {
  it('creates, lists without the key, revokes', async () => {
    const made = await runCli(['api-keys', 'create', '--name', 'ci', '--json'], env);
    expect(made.status, made.stderr).toBe(0);
    const { id, key } = JSON.parse(made.stdout) as { id: string; key: string };
    expect(key).toMatch(/^sk-klappe-/);
    const file = join(env.KLAPPE_CONFIG_DIR, 'api-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(key);
    const store = new ApiKeyStore(file);
    expect(store.check(key)).toBe(id);
    expect(store.check(`${key}x`)).toBeUndefined();

    const list = await runCli(['api-keys', 'list'], env);
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain('active');
    expect(list.stdout + list.stderr).not.toContain(key);

    const revoked = await runCli(['api-keys', 'revoke', id], env);
    expect(revoked.status).toBe(0);
    expect(store.check(key)).toBeUndefined();
    expect((await runCli(['api-keys', 'list'], env)).stdout).toContain('revoked');

    const unknown = await runCli(['api-keys', 'revoke', 'key_nope'], env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('key_nope');
  });

  it('serve --api refuses a project folder that holds no project, naming it', async () => {
    const r = await runCli(['serve', '--api', '--project', join(t.dir, 'nothing-here')], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(join(t.dir, 'nothing-here', 'project.klappe'));
  });
});
