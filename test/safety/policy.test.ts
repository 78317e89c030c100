/** The policy file: the shipped default, a user's changes, the locked minors category, errors naming file and field; ages and patterns. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { moderateText } from '../../engine/safety/moderate.js';
import { CATEGORY_IDS, defaultPolicyPath, loadPolicy } from '../../engine/safety/policy.js';
import { ageAt, compilePattern, findMatches, tokenize } from '../../engine/safety/text-match.js';
import { tempDir } from '../support/env.js';

const t = tempDir('klappe-policy-');
afterAll(() => t.cleanup());
const user = (name: string, body: unknown) => {
  const f = join(t.dir, name);
  writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body));
  return f;
};

describe('policy file', () => {
  it('the shipped default has a threshold and a way to proceed for every category, minors locked', () => {
    const p = loadPolicy({ userFile: null });
    expect(p.sources).toEqual([defaultPolicyPath()]);
    expect(p.version).toMatch(/^strict-/);
    for (const c of CATEGORY_IDS) {
      const cat = p.file.categories[c];
      expect(cat.blockAt).toBeGreaterThan(cat.warnAt);
      expect(cat.proceed.length).toBeGreaterThan(20);
      expect(
        p.rules.some((r) => r.category === c),
        c,
      ).toBe(true);
    }
    expect(p.file.categories.minors.locked).toBe(true);
  });

  it("a user's changes apply over the default and change the version", () => {
    const f = user('horror.json', {
      version: 'horror-1',
      categories: { violence: { blockAt: 1.1 } },
      lists: { 'public-figures': ['jane doe'] },
      allow: [{ id: 'my.terms', patterns: ['blood orange*'] }],
    });
    const p = loadPolicy({ userFile: f });
    expect(p.version).toMatch(/^horror-1\+user-[0-9a-f]{8}$/);
    expect(p.sources).toEqual([defaultPolicyPath(), f]);
    expect(moderateText('Gore everywhere in the barn', p).outcome).toBe('warn');
    expect(moderateText('Jane Doe walks in', p)).toMatchObject({ outcome: 'block', rule: 'public-figure.name' });
    expect(loadPolicy({ userFile: null }).version).not.toContain('horror');
  });

  it('refuses to loosen the locked minors category; stricter is fine', () => {
    expect(() => loadPolicy({ userFile: user('loose.json', { categories: { minors: { blockAt: 2 } } }) })).toThrow(
      expect.objectContaining({ code: 'POLICY_LOCKED', path: 'categories.minors' }),
    );
    expect(loadPolicy({ userFile: user('strict.json', { categories: { minors: { blockAt: 0.5 } } }) }).file.categories.minors.blockAt).toBe(
      0.5,
    );
  });

  it('a broken file is refused naming the file, line or field', () => {
    expect(() => loadPolicy({ userFile: user('broken.json', '{\n  "categories": {\n  }},\n}') })).toThrow(
      expect.objectContaining({ code: 'POLICY_INVALID', message: expect.stringMatching(/broken\.json:\d+:\d+: not JSON/) }),
    );
    expect(() => loadPolicy({ userFile: user('field.json', { categories: { violence: { blockAt: 'high' } } }) })).toThrow(
      expect.objectContaining({ code: 'POLICY_INVALID', path: 'categories.violence.blockAt' }),
    );
    expect(() =>
      loadPolicy({ userFile: user('pattern.json', { rules: [{ id: 'x.bad', category: 'hate', score: 1, any: ['@nolist'] }] }) }),
    ).toThrow(
      expect.objectContaining({
        code: 'POLICY_INVALID',
        path: 'rules.x.bad.any[0]',
        message: expect.stringContaining('no word list "nolist"'),
      }),
    );
  });
});

describe('text patterns', () => {
  it('reads ages written in many ways, and tells minors from adults', () => {
    const age = (s: string) => ageAt(tokenize(s), 0)?.value;
    expect(age('12-year-old')).toBe(12);
    expect(age('12 years old')).toBe(12);
    expect(age('15yo')).toBe(15);
    expect(age('aged 9')).toBe(9);
    expect(age('sixteen year old')).toBe(16);
    expect(age('twenty five year old')).toBe(25);
    expect(age('12 apples')).toBeUndefined();
    const minor = compilePattern('<minor-age>');
    expect(findMatches(minor, tokenize('a 17-year-old'))).toHaveLength(1);
    expect(findMatches(minor, tokenize('a 30-year-old'))).toHaveLength(0);
  });

  it('undoes swapped characters and accents, keeps numbers', () => {
    expect(tokenize('N@k3d, nudé! 35mm 12-year-old').map((x) => x.text)).toEqual(['naked', 'nude', '35mm', '12', 'year', 'old']);
  });

  it('matches alternatives of several words, optional words and prefixes', () => {
    const p = compilePattern('(kill|wipe out) (all|every)? (the)? immigr*');
    expect(findMatches(p, tokenize('they wipe out all the immigrants'))).toEqual([{ start: 1, end: 6 }]);
    expect(findMatches(p, tokenize('kill immigration reform'))).toHaveLength(1);
    expect(() => compilePattern('(a|b')).toThrow(/unbalanced/);
  });
});
