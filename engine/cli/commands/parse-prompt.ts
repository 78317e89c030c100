/** `klappe parse-prompt PROJECT SHOT`: what the previz generator reads in a shot's prompt, and what it ignores. */
import { parsePrompt } from '../../generate/previz/prompt/parse-prompt.js';
import { inputError } from '../../common/errors.js';
import { allShots, findShot } from '../../model/lookup.js';
import { loadProject } from '../../model/project-file.js';
import { requirePositional, stringOption, type CliCommand } from '../command.js';

export const parsePromptCommand: CliCommand = {
  name: 'parse-prompt',
  summary: "show how a shot's prompt is read: characters, props, actions, dialogue, camera, and ignored words",
  usage: 'klappe parse-prompt PROJECT SHOT_ID [--text "another prompt"]',
  options: { text: { type: 'string' } },
  async run(parsed, io) {
    const loaded = loadProject(requirePositional(parsed, 0, 'PROJECT', this.usage));
    const shotId = requirePositional(parsed, 1, 'SHOT_ID', this.usage);
    const at = findShot(loaded.doc, shotId);
    if (!at)
      throw inputError('UNKNOWN_SHOT', `no shot "${shotId}" in ${loaded.file}`, {
        file: loaded.file,
        path: 'SHOT_ID',
        hint: `Shots: ${allShots(loaded.doc)
          .map((s) => s.shot.id)
          .join(', ')}`,
      });
    const prompt = stringOption(parsed, 'text') ?? at.shot.prompt;
    const result = parsePrompt(prompt, { characters: loaded.doc.characters, props: at.scene.props });
    if (parsed.json) {
      io.out(JSON.stringify({ prompt, ...result }, null, 2));
      return 0;
    }
    io.out(`prompt: ${prompt || '(empty)'}`);
    io.out(`  characters: ${result.characterIds.join(', ') || '-'}`);
    io.out(`  props: ${result.propIds.join(', ') || '-'}`);
    for (const a of result.actions) io.out(`  action: ${a.actorId} ${a.verb}${a.targetId ? ` ${a.targetId}` : ''}`);
    for (const d of result.dialogue) io.out(`  line: ${d.characterId}: "${d.text}"`);
    const cam = Object.entries(result.camera)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    io.out(`  camera: ${cam || '-'}`);
    io.out(`  understood: ${result.understood.map((u) => JSON.stringify(u)).join(', ') || '-'}`);
    io.out(`  ignored: ${result.ignored.join(' ') || '-'}`);
    return 0;
  },
};
