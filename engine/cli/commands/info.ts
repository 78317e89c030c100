import { linesOfShot } from '../../model/lines.js';
import { allShots, currentTake, sequenceDuration } from '../../model/lookup.js';
import { findOfflineMedia, loadProject } from '../../model/project-file.js';
import { framesToTimecode, rateToString } from '../../common/time.js';
import { requirePositional, type CliCommand } from '../command.js';

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'show what a project holds (validates it)',
  usage: 'klappe info PROJECT',
  options: {},
  async run(parsed, io) {
    const loaded = loadProject(requirePositional(parsed, 0, 'PROJECT', this.usage));
    const { doc } = loaded;
    const frames = sequenceDuration(doc);
    const offline = findOfflineMedia(loaded);
    const summary = {
      file: loaded.file,
      name: doc.name,
      schemaVersion: doc.schemaVersion,
      migratedFrom: loaded.migratedFrom,
      rate: rateToString(doc.sequence.rate),
      size: `${doc.sequence.width}x${doc.sequence.height}`,
      durationFrames: frames,
      duration: framesToTimecode(frames, doc.sequence.rate),
      characters: doc.characters.map((c) => c.name),
      scenes: doc.scenes.map((s) => ({ id: s.id, number: s.number, name: s.name, shots: s.shots.length })),
      shots: allShots(doc).map(({ shot, scene }) => ({
        id: shot.id,
        scene: scene.number,
        number: shot.number,
        duration: shot.duration,
        take: currentTake(doc, shot.id)?.id ?? null,
      })),
      tracks: doc.sequence.tracks.map((t) => ({ id: t.id, kind: t.kind, clips: t.clips.length })),
      offlineMedia: offline,
    };
    if (parsed.json) {
      io.out(JSON.stringify(summary, null, 2));
      return 0;
    }
    io.out(`${doc.name}  (${loaded.file})`);
    io.out(
      `  ${summary.size} @ ${summary.rate} fps, ${frames} frames (${summary.duration})${loaded.migratedFrom < doc.schemaVersion ? `, migrated from schemaVersion ${loaded.migratedFrom}` : ''}`,
    );
    io.out(`  characters: ${summary.characters.join(', ') || '(none)'}`);
    for (const s of doc.scenes) {
      io.out(`  scene ${s.number} ${s.name}`);
      for (const sh of s.shots)
        io.out(
          `    shot ${sh.number} ${sh.name || ''}: ${sh.duration} frames, ${linesOfShot(doc, sh.id).length} line(s), take ${currentTake(doc, sh.id)?.number ?? '-'}`,
        );
    }
    io.out(`  tracks: ${summary.tracks.map((t) => `${t.id} (${t.kind}, ${t.clips} clips)`).join(', ')}`);
    for (const o of offline) io.err(`  offline: ${o.path}: ${o.message}`);
    return 0;
  },
};
