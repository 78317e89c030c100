/** Help topics in the palette, the guided first film's steps, clip titles in words (issue 13, help and polish). */
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../engine/common/action-list.js';
import { HELP_TOPICS, helpMatch } from '../../engine/common/help-topics.js';
import { paletteMatch } from '../../renderer/src/actions/action-text.js';
import { clipTitle, type ClipTitleLookups } from '../../renderer/src/audio/clip-title.js';
import { currentStep, guideSteps } from '../../renderer/src/guide/first-film.js';

const found = (q: string) => HELP_TOPICS.filter((t) => helpMatch(t, q)).map((t) => t.id);

describe('help topics', () => {
  it('the palette finds topics, not only actions, by their words', () => {
    expect(found('help').length).toBe(HELP_TOPICS.length);
    expect(found('cast')).toContain('cast');
    expect(found('lens')).toContain('shots');
    expect(found('warning')).toContain('checks');
    expect(found('how do I start')).toEqual([]); // every word must match
    expect(found('start')).toContain('first-film');
    expect(found('fade')).toContain('audio');
    expect(found('export')).toContain('export');
    // "help" also finds the shortcut sheet (an action)
    expect(ACTIONS.filter((a) => paletteMatch(a, 'help')).map((a) => a.name)).toEqual(['help.shortcuts']);
  });

  it('finds nothing for nonsense (the palette then says "No results")', () => {
    expect(found('xyzzy')).toEqual([]);
    expect(ACTIONS.filter((a) => paletteMatch(a, 'xyzzy'))).toEqual([]);
  });

  it('each topic is short, in words, and its action exists', () => {
    const ids = new Set<string>();
    for (const t of HELP_TOPICS) {
      expect(ids.has(t.id), t.id).toBe(false);
      ids.add(t.id);
      expect(t.body.length).toBeGreaterThan(0);
      expect(t.body.join(' ').split(/\s+/).length, t.id).toBeLessThan(120);
      if (t.action) expect(ACTIONS.map((a) => a.name)).toContain(t.action);
      // no topic is titled like an action (the palette would list the same words twice)
      expect(ACTIONS.map((a) => a.label)).not.toContain(t.title);
    }
  });
});

describe('guided first film', () => {
  it('three steps, cast → shots → generate, each done from the document', () => {
    let steps = guideSteps({ characters: 0, framedShots: 0, takes: 0 });
    expect(steps.map((s) => s.title)).toEqual(['Cast', 'Shots', 'Generate']);
    expect(currentStep(steps)?.id).toBe('cast');
    steps = guideSteps({ characters: 2, framedShots: 0, takes: 0 });
    expect(currentStep(steps)?.id).toBe('shots');
    steps = guideSteps({ characters: 2, framedShots: 3, takes: 0 });
    expect(currentStep(steps)?.id).toBe('generate');
    steps = guideSteps({ characters: 2, framedShots: 3, takes: 3 });
    expect(currentStep(steps)).toBeUndefined();
  });
});

describe('clip titles in the audio editor', () => {
  const look: ClipTitleLookups = {
    shotTitle: (id) => ({ 'shot-2': 'Shot 1/2 · Close-up of Leo' })[id],
    take: (id) => (id === 'take-7' ? { shotId: 'shot-2', number: 3 } : undefined),
    currentTake: (id) => (id === 'shot-2' ? { number: 1 } : undefined),
    line: (id) => (id === 'line-1' ? { text: 'Every single day.', speaker: 'Leo' } : undefined),
    mediaPath: (id) => (id === 'm1' ? 'audio/imported/rain on the window.wav' : undefined),
    trackName: () => 'Effects',
  };
  it('names a clip by its line, its shot and take, or its file; never by its id', () => {
    expect(clipTitle({ trackId: 'd1', lineId: 'line-1', source: { type: 'media', mediaId: 'm9' } }, look)).toBe('Leo: “Every single day.”');
    expect(clipTitle({ trackId: 'v1', source: { type: 'shot', shotId: 'shot-2' } }, look)).toBe('Shot 1/2 · Close-up of Leo · take 1');
    expect(clipTitle({ trackId: 'v1', source: { type: 'take', takeId: 'take-7' } }, look)).toBe('Shot 1/2 · Close-up of Leo · take 3');
    expect(clipTitle({ trackId: 'x1', source: { type: 'media', mediaId: 'm1' } }, look)).toBe('rain on the window.wav');
    expect(clipTitle({ trackId: 'x1', name: 'Door slam', source: { type: 'media', mediaId: 'm1' } }, look)).toBe('Door slam');
    expect(clipTitle({ trackId: 'x1', source: { type: 'media', mediaId: 'gone' } }, look)).toBe('A clip on Effects');
  });
});
