/**
 * The done-means of issue 16 for moderation: at least 100 prompts and lines,
 * every category and the film-language false positives, each giving the
 * expected outcome with a decision-log entry in a real SQLite database.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDatabases, openDatabase } from '../../engine/cache/database.js';
import { checkPrompt } from '../../engine/safety/checks.js';
import { DecisionLog } from '../../engine/safety/decision-log.js';
import { CATEGORY_IDS, loadPolicy } from '../../engine/safety/policy.js';
import { tempDir } from '../support/env.js';
import { FILM_LANGUAGE, PROMPT_SET } from './prompt-set.js';

const t = tempDir('klappe-safety-set-');
const log = new DecisionLog(openDatabase(join(t.dir, 'klappe.db')));
const policy = loadPolicy({ userFile: null });
const empty = { lists: [], refused: [], matchers: [], images: [] };

afterAll(() => {
  closeDatabases();
  t.cleanup();
});

describe('the moderation test set', () => {
  it('has at least 100 cases covering every category, allowed film language and age words', () => {
    expect(PROMPT_SET.length).toBeGreaterThanOrEqual(100);
    for (const c of CATEGORY_IDS) {
      expect(
        PROMPT_SET.some((p) => p.category === c && p.outcome === 'block'),
        c,
      ).toBe(true);
    }
    expect(FILM_LANGUAGE.length).toBeGreaterThanOrEqual(20);
    for (const phrase of ['shoot the scene', 'kill the lights', 'a shot of whiskey', 'cut to black', 'the actor dies on stage'])
      expect(
        FILM_LANGUAGE.some((p) => p.text.toLowerCase().includes(phrase)),
        phrase,
      ).toBe(true);
  });

  it.each(PROMPT_SET.map((c, i) => [i, c.outcome, c.text, c] as const))('#%i %s: %s', async (_i, _o, text, c) => {
    const before = log.count();
    const v = await checkPrompt(text, { policy, log, optouts: empty });
    expect({ outcome: v.outcome, category: v.category, rule: v.rule }).toMatchObject({
      outcome: c.outcome,
      ...(c.category ? { category: c.category } : {}),
      ...(c.rule ? { rule: c.rule } : {}),
    });
    if (v.outcome !== 'allow') {
      expect(v.message).toContain(v.rule!);
      expect(v.proceed).toBeTruthy();
    }
    expect(log.count()).toBe(before + 1);
    const entry = log.list({ limit: 1 })[0]!;
    expect(entry).toMatchObject({ subject: 'prompt', outcome: c.outcome, policyVersion: policy.version });
    expect(entry.excerpt).toBe(text.replace(/\s+/g, ' ').trim().slice(0, 200));
    if (c.outcome !== 'allow') expect(entry.rule).toBe(v.rule);
  });
});
