import { describe, expect, it } from 'vitest';
import { buildShotRequest } from '../../engine/generate/shot-request.js';
import { planPrevizShot, takeMetadata } from '../../engine/generate/previz/previz-backend.js';
import { parse, sampleProject } from './fixtures.js';

describe('previz prompts', () => {
  it('fill what the storyboard leaves open, never override it, and are stored in the metadata', async () => {
    const input = sampleProject({ firstSceneOnly: true });
    const scene = input.scenes![0]!;
    // A shot after the scripted action, with nothing but a prompt.
    scene.shots!.push({
      id: 'p1',
      number: '4',
      sceneStart: 240,
      duration: 72,
      camera: { position: [0, 1.6, 2.5], target: [0, 1, 0] },
      prompt: "Leo says 'Hello there!' and the camera dollies in, slowly, dramatically",
    });
    // A shot whose own dialogue wins over its prompt's.
    scene.shots![2]!.prompt = "close-up, Leo says 'Something else'";
    const doc = parse(input);
    const plan = await planPrevizShot(buildShotRequest(doc, 'p1'));
    const meta = takeMetadata(plan, buildShotRequest(doc, 'p1')) as {
      prompt: { dialogue: unknown[]; camera: { move?: string }; ignored: string[] };
      dialogue: Array<{ characterId: string; text: string; startSample: number }>;
      camera: Array<{ position: number[] }>;
    };
    expect(meta.prompt.dialogue).toEqual([{ characterId: 'leo', text: 'Hello there!' }]);
    expect(meta.dialogue.map((d) => [d.characterId, d.text])).toEqual([['leo', 'Hello there!']]);
    expect(meta.dialogue[0]!.startSample).toBeGreaterThanOrEqual(0);
    // The parsed dolly moves the (static) storyboard camera towards its target.
    expect(meta.prompt.camera.move).toBe('dolly');
    expect(meta.camera[71]!.position[2]).toBeLessThan(meta.camera[0]!.position[2]!);
    expect(meta.prompt.ignored.length).toBeGreaterThan(0);
    const s3 = await planPrevizShot(buildShotRequest(doc, 's3'));
    expect(s3.lines.filter((l) => l.characterId === 'leo').map((l) => l.text)).toContain('Careful! That was my favourite.');
    expect(s3.lines.map((l) => l.text)).not.toContain('Something else');
  });
});
