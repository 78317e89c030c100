/**
 * A scene's actions (who walks where, picks up what, when) as a list in words, each editable in place: its time,
 * who, what, the target and the place; added, removed and reordered. Every edit is one typed, undoable command;
 * time is frames in the document, seconds here.
 */
import type { Action, ActionVerb, Scene } from '../../../engine/model/schema.js';
import { ACTION_VERBS, actionWords, verbUses } from '../../../engine/common/action-words.js';
import { framesToSeconds, secondsToFramesRound, type Rate } from '../../../engine/common/time.js';
import { NumberField, SelectField } from '../components/fields.js';
import { useEditor } from '../editor/context.js';

export function ActionsList(p: { scene: Pick<Scene, 'id' | 'actions' | 'props' | 'marks'>; rate: Rate; name: (id: string) => string }) {
  const editor = useEditor();
  const { scene, rate, name } = p;
  const places = scene.props.map((x) => ({ id: x.id, name: x.name, at: [x.position[0], x.position[2]] as const }));
  const actors = scene.marks.map((m) => ({ value: m.characterId, label: name(m.characterId) }));
  const update = (a: Action, patch: Partial<Omit<Action, 'id'>>, label: string) =>
    void editor.apply({ type: 'action.update', sceneId: scene.id, actionId: a.id, patch }, label);
  const move = (a: Action, index: number) =>
    void editor.apply({ type: 'action.move', sceneId: scene.id, actionId: a.id, index }, 'Reorder action');
  const add = () => {
    const actor = scene.marks[0]?.characterId;
    if (!actor) return;
    const last = scene.actions[scene.actions.length - 1];
    const at = last ? last.at + secondsToFramesRound(1, rate) : secondsToFramesRound(1, rate);
    void editor.apply({ type: 'action.add', sceneId: scene.id, action: { at, actorId: actor, verb: 'walk', to: [0, 0] } }, 'Add action');
  };
  const verbChange = (a: Action, verb: ActionVerb) => {
    const uses = verbUses(verb);
    const patch: Partial<Omit<Action, 'id'>> = { verb };
    if (uses.to && !a.to) patch.to = [0, 0];
    if (uses.target === 'prop' && !scene.props.some((x) => x.id === a.targetId) && scene.props[0]) patch.targetId = scene.props[0].id;
    update(a, patch, 'Edit action');
  };
  return (
    <fieldset className="actions-editor">
      <legend>Actions</legend>
      {scene.actions.length ? (
        <ol className="actions-list" aria-label="Actions of the scene">
          {scene.actions.map((a, i) => {
            const uses = verbUses(a.verb);
            const words = actionWords(a, name, rate, places);
            const targets = [
              ...scene.props.map((x) => ({ value: x.id, label: x.name })),
              ...(uses.target === 'any' ? actors.filter((x) => x.value !== a.actorId) : []),
            ];
            return (
              <li key={a.id} aria-label={words}>
                <div className="action-words">
                  <span>{words}</span>
                  <span className="action-buttons">
                    <button
                      type="button"
                      className="mini"
                      disabled={i === 0}
                      aria-label={`Move up: ${words}`}
                      onClick={() => move(a, i - 1)}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="mini"
                      disabled={i === scene.actions.length - 1}
                      aria-label={`Move down: ${words}`}
                      onClick={() => move(a, i + 1)}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      className="mini danger"
                      aria-label={`Remove: ${words}`}
                      onClick={() => void editor.apply({ type: 'action.remove', sceneId: scene.id, actionId: a.id }, 'Delete action')}
                    >
                      ✕
                    </button>
                  </span>
                </div>
                <div className="action-fields">
                  <NumberField
                    compact
                    label={`Time of action ${i + 1}`}
                    value={Math.round(framesToSeconds(a.at, rate) * 100) / 100}
                    min={0}
                    max={3600}
                    step={0.1}
                    suffix="s"
                    onCommit={(s) => update(a, { at: secondsToFramesRound(s, rate) }, 'Edit action time')}
                  />
                  <SelectField
                    label={`Who does action ${i + 1}`}
                    value={a.actorId}
                    options={actors.some((x) => x.value === a.actorId) ? actors : [{ value: a.actorId, label: name(a.actorId) }, ...actors]}
                    onChange={(actorId) => update(a, { actorId }, 'Edit action')}
                  />
                  <SelectField
                    label={`What action ${i + 1} does`}
                    value={a.verb}
                    options={ACTION_VERBS.map((v) => ({ value: v.verb as ActionVerb, label: v.label }))}
                    onChange={(verb) => verbChange(a, verb)}
                  />
                  {uses.target !== 'none' ? (
                    <SelectField
                      label={`Target of action ${i + 1}`}
                      value={a.targetId ?? ''}
                      options={[...(uses.target === 'any' ? [{ value: '', label: '—' }] : []), ...targets]}
                      onChange={(targetId) => update(a, targetId ? { targetId } : {}, 'Edit action')}
                    />
                  ) : null}
                  {uses.to ? (
                    <>
                      <NumberField
                        compact
                        label={`x of action ${i + 1}`}
                        value={a.to?.[0] ?? 0}
                        step={0.1}
                        min={-100}
                        max={100}
                        suffix="m"
                        onCommit={(x) => update(a, { to: [x, a.to?.[1] ?? 0] }, 'Edit action place')}
                      />
                      <NumberField
                        compact
                        label={`z of action ${i + 1}`}
                        value={a.to?.[1] ?? 0}
                        step={0.1}
                        min={-100}
                        max={100}
                        suffix="m"
                        onCommit={(z) => update(a, { to: [a.to?.[0] ?? 0, z] }, 'Edit action place')}
                      />
                    </>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ol>
      ) : (
        <p className="muted small">No actions: everybody stays on their marks.</p>
      )}
      <button type="button" onClick={add} disabled={!scene.marks.length} title={scene.marks.length ? undefined : 'Place the cast first'}>
        + Action
      </button>
    </fieldset>
  );
}
