/**
 * Checks that go beyond the schema: unique ids and references that point at
 * something (no dangling ids: a line's character, shot and readings' media, a
 * clip's line, played by that one clip only). Returns every problem with its
 * JSON path; an empty list is valid.
 */
import type { ErrorIssue } from '../common/errors.js';
import { MAX_HOURS, type Project } from './schema.js';

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
      if (!characterIds.has(m.characterId))
        issues.push({ path: `${sp}.marks[${mi}].characterId`, message: `unknown character "${m.characterId}"` });
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
    });
  });

  const shotDuration = new Map(doc.scenes.flatMap((s) => s.shots.map((sh) => [sh.id, sh.duration] as const)));
  const mediaIds = new Set(doc.media.map((m) => m.id));
  const lineIds = new Set<string>();
  doc.lines.forEach((line, li) => {
    const lp = `lines[${li}]`;
    claim(line.id, `${lp}.id`);
    lineIds.add(line.id);
    if (!characterIds.has(line.characterId)) issues.push({ path: `${lp}.characterId`, message: `unknown character "${line.characterId}"` });
    if (line.shotId !== undefined) {
      const duration = shotDuration.get(line.shotId);
      if (duration === undefined) issues.push({ path: `${lp}.shotId`, message: `unknown shot "${line.shotId}"` });
      else if (line.start !== undefined && line.start >= duration)
        issues.push({ path: `${lp}.start`, message: `starts at frame ${line.start}, after the shot ends (${duration} frames)` });
    } else if (line.start !== undefined) {
      issues.push({ path: `${lp}.start`, message: "a start is a frame within the line's shot, and this line has no shotId" });
    }
    const readingIds = new Set<string>();
    line.readings.forEach((r, ri) => {
      if (readingIds.has(r.id))
        issues.push({ path: `${lp}.readings[${ri}].id`, message: `line "${line.id}" already has a reading "${r.id}"` });
      readingIds.add(r.id);
      if (!mediaIds.has(r.mediaId)) issues.push({ path: `${lp}.readings[${ri}].mediaId`, message: `unknown media "${r.mediaId}"` });
    });
    if (line.selectedReadingId !== undefined && !readingIds.has(line.selectedReadingId)) {
      issues.push({ path: `${lp}.selectedReadingId`, message: `line "${line.id}" has no reading "${line.selectedReadingId}"` });
    }
  });

  const takeIds = new Set<string>();
  doc.takes.forEach((t, ti) => {
    claim(t.id, `takes[${ti}].id`);
    takeIds.add(t.id);
    if (!shotIds.has(t.shotId)) issues.push({ path: `takes[${ti}].shotId`, message: `unknown shot "${t.shotId}"` });
  });
  doc.scenes.forEach((scene, si) =>
    scene.shots.forEach((shot, hi) => {
      if (shot.selectedTakeId && !takeIds.has(shot.selectedTakeId)) {
        issues.push({ path: `scenes[${si}].shots[${hi}].selectedTakeId`, message: `unknown take "${shot.selectedTakeId}"` });
      }
    }),
  );

  doc.media.forEach((m, mi) => claim(m.id, `media[${mi}].id`));
  doc.characters.forEach((c, i) =>
    c.references?.forEach((ref, ri) => {
      const m = doc.media.find((x) => x.id === ref);
      if (!m || m.kind !== 'image')
        issues.push({
          path: `characters[${i}].references[${ri}]`,
          message: m ? `media "${ref}" is not an image` : `unknown media "${ref}"`,
        });
    }),
  );

  // bounded time: no shot or clip runs past 24 hours at the sequence's rate
  const rate = doc.sequence.rate;
  const maxFrames = Math.floor((MAX_HOURS * 3600 * rate.num) / rate.den);
  const pastLimit = (end: number) => `ends at frame ${end}, past ${MAX_HOURS} hours at ${rate.num}/${rate.den} fps (${maxFrames} frames)`;
  doc.scenes.forEach((scene, si) =>
    scene.shots.forEach((shot, hi) => {
      const end = shot.sceneStart + shot.duration;
      if (end > maxFrames) issues.push({ path: `scenes[${si}].shots[${hi}].duration`, message: pastLimit(end) });
    }),
  );
  doc.sequence.tracks.forEach((track, ti) =>
    track.clips.forEach((clip, ci) => {
      const end = clip.recordStart + clip.duration;
      if (end > maxFrames)
        issues.push({
          path: `sequence.tracks[${ti}].clips[${ci}].${clip.recordStart > maxFrames ? 'recordStart' : 'duration'}`,
          message: pastLimit(end),
        });
    }),
  );

  /** line id → the clip that plays it (one clip a line). */
  const playedBy = new Map<string, string>();
  claim(doc.sequence.id, 'sequence.id');
  doc.sequence.tracks.forEach((track, ti) => {
    const tp = `sequence.tracks[${ti}]`;
    claim(track.id, `${tp}.id`);
    const sorted = [...track.clips].sort((a, b) => a.recordStart - b.recordStart);
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1]!;
      const cur = sorted[k]!;
      if (cur.recordStart < prev.recordStart + prev.duration) {
        issues.push({
          path: `${tp}.clips[${track.clips.indexOf(cur)}].recordStart`,
          message: `clip "${cur.id}" overlaps clip "${prev.id}" on the same track`,
        });
      }
    }
    track.clips.forEach((clip, ci) => {
      const cp = `${tp}.clips[${ci}]`;
      claim(clip.id, `${cp}.id`);
      const src = clip.source;
      if (src.type === 'shot' && !shotIds.has(src.shotId))
        issues.push({ path: `${cp}.source.shotId`, message: `unknown shot "${src.shotId}"` });
      if (src.type === 'take' && !takeIds.has(src.takeId))
        issues.push({ path: `${cp}.source.takeId`, message: `unknown take "${src.takeId}"` });
      if (src.type === 'media' && !mediaIds.has(src.mediaId))
        issues.push({ path: `${cp}.source.mediaId`, message: `unknown media "${src.mediaId}"` });
      if (clip.lineId !== undefined) {
        const other = playedBy.get(clip.lineId);
        if (!lineIds.has(clip.lineId)) issues.push({ path: `${cp}.lineId`, message: `unknown line "${clip.lineId}"` });
        else if (other) issues.push({ path: `${cp}.lineId`, message: `line "${clip.lineId}" is already played by clip "${other}"` });
        else playedBy.set(clip.lineId, clip.id);
      } else if (src.type === 'line') {
        issues.push({ path: `${cp}.lineId`, message: `clip "${clip.id}" plays an unspoken line but names none` });
      }
    });
  });
  const clipIds = new Set(doc.sequence.tracks.flatMap((t) => t.clips.map((c) => c.id)));
  doc.sequence.markers.forEach((marker, mi) => {
    claim(marker.id, `sequence.markers[${mi}].id`);
    if (marker.frame > maxFrames) issues.push({ path: `sequence.markers[${mi}].frame`, message: pastLimit(marker.frame) });
    if (marker.clipId !== undefined && !clipIds.has(marker.clipId))
      issues.push({ path: `sequence.markers[${mi}].clipId`, message: `unknown clip "${marker.clipId}"` });
  });
  return issues;
}
