/** The text prompt a cloud model gets for a shot: the prompt (or action), the setting, then the dialogue as quoted speech. */
import type { ShotRequest } from '../backend.js';

export function shotPrompt(request: ShotRequest): string {
  const shot = request.shot;
  const parts = [shot.prompt.trim() || shot.action.trim() || `${request.scene.set.name}, shot ${shot.number}`];
  if (shot.prompt.trim() && shot.action.trim()) parts.push(shot.action.trim());
  const names = new Map(request.characters.map((c) => [c.id, c.name]));
  for (const line of shot.dialogue) parts.push(`${names.get(line.characterId) ?? 'Someone'} says: "${line.text}"`);
  return parts.join(' ');
}
