/** A large project for tests and benchmarks: a template's first scene repeated. */

/** The sample's scenes repeated until there are `shots` shots, each on the timeline. */
export function makeLargeProject(sampleText: string, shots: number): string {
  const j = JSON.parse(sampleText);
  const baseScene = j.scenes[0];
  const scenes = [];
  const clips = [];
  let record = 0;
  let made = 0;
  for (let s = 0; made < shots; s++) {
    const scene = structuredClone(baseScene);
    scene.id = `scene-${s}`;
    scene.number = String(s + 1);
    scene.props = scene.props.map((p: any) => ({ ...p, id: `${p.id}-${s}` }));
    scene.actions = scene.actions.map((a: any) => ({ ...a, id: `${a.id}-${s}`, targetId: a.targetId ? `${a.targetId}-${s}` : undefined }));
    scene.shots = [];
    for (let k = 0; k < 20 && made < shots; k++, made++) {
      const shot = structuredClone(baseScene.shots[k % baseScene.shots.length]);
      shot.id = `shot-${made}`;
      shot.number = String(k + 1);
      shot.sceneStart = k * 72;
      shot.dialogue = shot.dialogue.map((l: any, i: number) => ({ ...l, id: `line-${made}-${i}` }));
      scene.shots.push(shot);
      clips.push({ id: `clip-${made}`, source: { type: 'shot', shotId: shot.id }, recordStart: record, duration: shot.duration });
      record += shot.duration;
    }
    scenes.push(scene);
  }
  j.scenes = scenes;
  j.takes = [];
  j.sequence.tracks[0].clips = clips;
  return JSON.stringify(j);
}
