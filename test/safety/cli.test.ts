/** `klappe safety` through the real CLI: check-prompt --json, the log, opt-out lists signed, imported, refused when altered. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/env.js';

const t = tempDir('klappe-safety-cli-');
const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
afterAll(() => t.cleanup());

describe('klappe safety', () => {
  it('check-prompt --json prints outcome, rule and category, and the log lists each decision', async () => {
    const blocked = await runCli(['safety', 'check-prompt', 'A nude 12-year-old on the beach', '--json'], env);
    expect(blocked.status).toBe(0);
    expect(JSON.parse(blocked.stdout)).toMatchObject({ outcome: 'block', rule: 'minors.sexual', category: 'minors' });
    const allowed = await runCli(['safety', 'check-prompt', 'Shoot the scene, then kill the lights', '--json'], env);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ outcome: 'allow', rule: null, category: null });
    const log = await runCli(['safety', 'log', '--json'], env);
    const entries = JSON.parse(log.stdout);
    expect(entries.map((e: { outcome: string }) => e.outcome)).toEqual(['allow', 'block']);
    expect(entries[1]).toMatchObject({ subject: 'prompt', rule: 'minors.sexual', excerpt: 'A nude 12-year-old on the beach' });
    expect(entries[1].policyVersion).toMatch(/^strict-/);
  });

  it('optouts sign, import and list; an altered list is refused with exit status 2', async () => {
    writeFileSync(
      join(t.dir, 'acme.json'),
      JSON.stringify({ id: 'acme', holder: 'Acme Pictures', entries: [{ kind: 'character', name: 'Captain Comet' }] }),
    );
    const signed = join(t.dir, 'acme.signed.json');
    expect((await runCli(['safety', 'optouts', 'sign', join(t.dir, 'acme.json'), '--out', signed], env)).status).toBe(0);
    const altered = join(t.dir, 'altered.json');
    writeFileSync(altered, readFileSync(signed, 'utf8').replace('Captain Comet', 'Captain Kite'));
    const refused = await runCli(['safety', 'optouts', 'import', altered], env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/signature does not match/);
    expect((await runCli(['safety', 'optouts', 'import', signed], env)).stdout).toMatch(/Imported acme v1: Acme Pictures, 1 entries/);
    const check = JSON.parse((await runCli(['safety', 'check-prompt', 'Captain Comet saves the day', '--json'], env)).stdout);
    expect(check).toMatchObject({ outcome: 'block', rule: 'optout.acme', category: 'rights' });
    expect(check.message).toContain('Acme Pictures');
  });
});
