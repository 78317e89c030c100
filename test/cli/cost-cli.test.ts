/**
 * `klappe cost` and the budget in `klappe generate`, through the real CLI:
 * a budget set on the command line, a Veo run over it refused before anything
 * is submitted, then made with --over-budget against the loopback Veo server;
 * `klappe cost --json` lists the take with backend, seconds, billed seconds,
 * cost and the totals per shot, backend and day.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestClip } from '../servers/test-clip.js';
import { startVeoServer, type VeoTestServer } from '../servers/veo-server.js';
import { runCli, tempDir } from '../support/env.js';

const t = tempDir('klappe-cost-cli-');
const KEY = 'test-gemini-key-cli';
let veo: VeoTestServer;
let env: Record<string, string>;

beforeAll(async () => {
  veo = await startVeoServer({ apiKey: KEY, video: await makeTestClip(join(t.dir, 'veo.mp4')) });
  env = {
    KLAPPE_DATA_DIR: join(t.dir, 'data'),
    KLAPPE_CONFIG_DIR: join(t.dir, 'config'),
    KLAPPE_GEMINI_BASE_URL: veo.url,
    KLAPPE_GEMINI_API_KEY: KEY,
    KLAPPE_VEO_POLL_MS: '100',
  };
});
afterAll(async () => {
  await veo.close();
  t.cleanup();
});

describe('klappe cost and the budget', () => {
  it('refuses a run over the budget, runs it with --over-budget, and lists what each take cost', async () => {
    const dir = join(t.dir, 'film');
    expect((await runCli(['new', dir, '--template', 'two-scenes'], env)).status).toBe(0);
    expect((await runCli(['cost', dir, '--budget', '1'], env)).status).toBe(0);

    const refused = await runCli(['generate', dir, '--shot', 's1', '--backend', 'veo'], env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/would cost about \$1\.60; with \$0\.00 spent that exceeds the project budget of \$1\.00/);
    expect(refused.stderr).toMatch(/--over-budget/);
    expect(veo.counts.submit).toBe(0);

    const over = await runCli(['generate', dir, '--shot', 's1', '--backend', 'veo', '--over-budget'], env);
    expect(over.status, over.stderr).toBe(0);
    expect(veo.counts.submit).toBe(1);
    // a free backend is never over the budget
    expect((await runCli(['generate', dir, '--shot', 's2', '--backend', 'slate'], env)).status).toBe(0);

    const r = await runCli(['cost', dir, '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.budgetUsd).toBe(1);
    expect(out.takes).toHaveLength(2);
    const [v, s] = out.takes;
    expect(v).toMatchObject({ shotId: 's1', backend: 'veo', billedSeconds: 4, usd: 1.6, day: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) });
    expect(v.seconds).toBeGreaterThan(0);
    expect(s).toMatchObject({ shotId: 's2', backend: 'slate', usd: 0 });
    expect(out.total).toMatchObject({ takes: 2, usd: 1.6 });
    expect(out.perBackend).toEqual([
      expect.objectContaining({ key: 'slate', takes: 1, usd: 0 }),
      expect.objectContaining({ key: 'veo', takes: 1, usd: 1.6 }),
    ]);
    expect(out.perShot.map((g: { key: string }) => g.key)).toEqual(['1/1', '1/2']);
    expect(out.perDay).toHaveLength(1);

    const text = await runCli(['cost', dir, '--estimate', '--shot', 's3'], env);
    expect(text.stdout).toMatch(/spent \$1\.60 on 2 take\(s\).*budget \$1\.00, \$0\.00 left/);
    expect(text.stdout).toMatch(/s3 +Veo 3\.1 \d+ (s|min) · \$\d\.\d\d \(documented.*\) \| previz \d+ s · free/);
    // a shot whose take exists is reused by the next run: not counted, not over the budget
    const again = JSON.parse((await runCli(['cost', dir, '--estimate', '--shot', 's1', '--backend', 'veo', '--json'], env)).stdout);
    expect(again.estimate).toMatchObject({ shots: [{ shotId: 's1', chosen: 'veo', cached: true }], total: { usd: 0 }, overBudget: false });
    expect((await runCli(['generate', dir, '--shot', 's1', '--backend', 'veo'], env)).status).toBe(0);
    expect(veo.counts.submit).toBe(1);
  });
});
