/**
 * Compile-time checks (no code runs this file; `npm run typecheck` compiles it):
 * commands are the typed union of the engine's command schemas, so an unknown
 * `type`, a missing field or a field of the wrong type does not compile.
 */
import type { ApiClient } from '../api/client.js';
import type { Editor } from './editor.js';

export function typedCommands(editor: Editor, api: ApiClient): void {
  void editor.apply({ type: 'shot.update', shotId: 's1', patch: { action: 'She turns' } }, 'Edit shot');
  void editor.apply([
    { type: 'clip.move', clipId: 'c1', recordStart: 10 },
    { type: 'clip.remove', clipId: 'c2', ripple: true },
  ]);
  void api.call('project.apply', { commands: { type: 'track.update', trackId: 't1', patch: { muted: true } } });

  // @ts-expect-error an unknown command type
  void editor.apply({ type: 'shot.fly', shotId: 's1' });
  // @ts-expect-error a field of the wrong type (frames are numbers)
  void editor.apply({ type: 'clip.move', clipId: 'c1', recordStart: '10' });
  // @ts-expect-error a missing field
  void editor.apply({ type: 'clip.move', clipId: 'c1' });
  // @ts-expect-error a field the command does not have
  void editor.apply({ type: 'clip.remove', clipId: 'c1', rippel: true });
  // @ts-expect-error a patch field of the wrong type
  void editor.apply({ type: 'shot.update', shotId: 's1', patch: { duration: 'long' } });
  // @ts-expect-error the transport checks the same union
  void api.call('project.apply', { commands: [{ type: 'nope' }] });
}
