/** A help topic from the command palette (engine/common/help-topics.ts): a few plain paragraphs and the action that does it. */
import { ACTIONS } from '../../../engine/common/action-list.js';
import { helpTopic } from '../../../engine/common/help-topics.js';
import { available, runAction } from '../actions/registry.js';
import { Dialog } from '../components/Dialog.js';
import { useEditor } from '../editor/context.js';
import { useAppDispatch, useAppSelector } from '../store/store.js';
import { openDialog } from '../store/ui-slice.js';

export function HelpTopicDialog() {
  const editor = useEditor();
  const dispatch = useAppDispatch();
  const id = useAppSelector((s) => s.ui.helpTopicId);
  useAppSelector((s) => `${s.doc.loaded} ${s.ui.screen}`);
  const topic = id ? helpTopic(id) : undefined;
  if (!topic) return null;
  const action = topic.action ? ACTIONS.find((a) => a.name === topic.action) : undefined;
  return (
    <Dialog title={`Help: ${topic.title}`} onClose={() => dispatch(openDialog(null))}>
      <div className="help-topic">
        {topic.body.map((para) => (
          <p key={para}>{para}</p>
        ))}
      </div>
      <div className="dialog-actions">
        <button type="button" onClick={() => dispatch(openDialog('palette'))}>
          Back to the palette
        </button>
        {action && available(editor, action) ? (
          <button
            type="button"
            className="primary"
            onClick={() => {
              dispatch(openDialog(null));
              runAction(editor, action.name);
            }}
          >
            {action.label}
          </button>
        ) : null}
        <button type="button" onClick={() => dispatch(openDialog(null))}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
