/**
 * Checks that go beyond the schema: unique ids and references that point at
 * something. Returns every problem with its JSON path; an empty list is valid.
 */
import type { ErrorIssue } from '../common/errors.js';
import type { Project } from './schema.js';

export function checkIntegrity(doc: Project): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const seen = new Map<string, string>();
  const claim = (idValue: string, path: string): void => {
    const prev = seen.get(idValue);
    if (prev) issues.push({ path, message: `id "${idValue}" is already used at ${prev}` });
    else seen.set(idValue, path);
  };

  const characterIds = new Set(doc.characters.map((c) => c.id));
  doc.characters.forEach((c, i) => claim(c.id, `characters[${i}].id`));

  const shotIds = new Set<string>();
  doc.scenes.forEach((scene, si) => {
    const sp = `scenes[${si}]`;
    claim(scene.id, `${sp}.id`);
    const propIds = new Set(scene.props.map((p) => p.id));
    scene.props.forEach((p, pi) => claim(p.id, `${sp}.props[${pi}].id`));
    scene.marks.forEach((m, mi) => {
      if (!characterIds.has(m.characterId)) issues.push({ path: `${sp}.marks[${mi}].characterId`, message: `unknown character "${m.characterId}"` });
    });
    scene.actions.forEach((a, ai) => {
      const ap = `${sp}.actions[${ai}]`;
      claim(a.id, `${ap}.id`);
      if (!characterIds.has(a.actorId)) issues.push({ path: `${ap}.actorId`, message: `unknown character "${a.actorId}"` });
      if (a.targetId && !propIds.has(a.targetId) && !characterIds.has(a.targetId)) {
        issues.push({ path: `${ap}.targetId`, message: `"${a.targetId}" is neither a prop of this scene nor a character` });
      }
    });
    scene.shots.forEach((shot, hi) => {
      const hp = `${sp}.shots[${hi}]`;
      claim(shot.id, `${hp}.id`);
      shotIds.add(shot.id);
      shot.characterIds.forEach((cid, ci) => {
        if (!characterIds.has(cid)) issues.push({ path: `${hp}.characterIds[${ci}]`, message: `unknown character "${cid}"` });
      });
      shot.dialogue.forEach((line, li) => {
        claim(line.id, `${hp}.dialogue[${li}].id`);
        if (!characterIds.has(line.characterId)) issues.push({ path: `${hp}.dialogue[${li}].characterId`, message: `unknown character "${line.characterId}"` });
        if (line.start !== undefined && line.start >= shot.duration) {
          issues.push({ path: `${hp}.dialogue[${li}].start`, message: `starts at frame ${line.start}, after the shot ends (${shot.duration} frames)` });
        }
      });
    });
  });

  const takeIds = new Set<string>();
  doc.takes.forEach((t, ti) => {
    claim(t.id, `takes[${ti}].id`);
    takeIds.add(t.id);
    if (!shotIds.has(t.shotId)) issues.push({ path: `takes[${ti}].shotId`, message: `unknown shot "${t.shotId}"` });
  });
  doc.scenes.forEach((scene, si) => scene.shots.forEach((shot, hi) => {
    if (shot.selectedTakeId && !takeIds.has(shot.selectedTakeId)) {
      issues.push({ path: `scenes[${si}].shots[${hi}].selectedTakeId`, message: `unknown take "${shot.selectedTakeId}"` });
    }
  }));

  const mediaIds = new Set<string>();
  doc.media.forEach((m, mi) => {
    claim(m.id, `media[${mi}].id`);
    mediaIds.add(m.id);
  });

  claim(doc.sequence.id, 'sequence.id');
  doc.sequence.tracks.forEach((track, ti) => {
    const tp = `sequence.tracks[${ti}]`;
    claim(track.id, `${tp}.id`);
    const sorted = [...track.clips].sort((a, b) => a.recordStart - b.recordStart);
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1]!;
      const cur = sorted[k]!;
      if (cur.recordStart < prev.recordStart + prev.duration) {
        issues.push({ path: `${tp}.clips[${track.clips.indexOf(cur)}].recordStart`, message: `clip "${cur.id}" overlaps clip "${prev.id}" on the same track` });
      }
    }
    track.clips.forEach((clip, ci) => {
      const cp = `${tp}.clips[${ci}]`;
      claim(clip.id, `${cp}.id`);
      const src = clip.source;
      if (src.type === 'shot' && !shotIds.has(src.shotId)) issues.push({ path: `${cp}.source.shotId`, message: `unknown shot "${src.shotId}"` });
      if (src.type === 'take' && !takeIds.has(src.takeId)) issues.push({ path: `${cp}.source.takeId`, message: `unknown take "${src.takeId}"` });
      if (src.type === 'media' && !mediaIds.has(src.mediaId)) issues.push({ path: `${cp}.source.mediaId`, message: `unknown media "${src.mediaId}"` });
    });
  });
  return issues;
}
