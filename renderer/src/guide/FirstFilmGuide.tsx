/**
 * The guided first film: on the Home screen a card with the three steps
 * (cast, shots, generate) that starts a project or is skipped; in the studio
 * a bar that follows the steps as the document fills. Skipped or done, it is
 * remembered in the settings (`firstFilm`) and does not come back.
 */
import { useEffect, useState } from 'react';
import type { FirstFilmState } from '../../../engine/api/contract.js';
import { useEditor } from '../editor/context.js';
import { charactersSel, shotsSel, takesSel } from '../store/selectors.js';
import { useAppDispatch, useAppSelector } from '../store/store.js';
import { pickShot } from '../store/selection.js';
import { setGuide, showEditPanel, showScreen } from '../store/ui-slice.js';
import { runAction } from '../actions/registry.js';
import { currentStep, guideSteps, type GuideStep } from './first-film.js';

/** The guide's state from the settings (undefined until they are read). */
export function useFirstFilmState(): [FirstFilmState | undefined, (s: FirstFilmState) => Promise<void>] {
  const editor = useEditor();
  const [state, setState] = useState<FirstFilmState>();
  useEffect(() => {
    void editor.settings().then((v) => v && setState(v.firstFilm));
  }, [editor]);
  const save = async (next: FirstFilmState) => {
    setState(next);
    await editor.setSettings({ firstFilm: next });
  };
  return [state, save];
}

const STEPS = guideSteps({ characters: 0, framedShots: 0, takes: 0 });

/** The Home screen's card: the three steps, Start and Skip. */
export function FirstFilmCard() {
  const editor = useEditor();
  const dispatch = useAppDispatch();
  const [state, save] = useFirstFilmState();
  const [busy, setBusy] = useState(false);
  if (state !== 'new') return null;
  return (
    <section className="card first-film" aria-labelledby="first-film-h">
      <h2 id="first-film-h">Your first film in three steps</h2>
      <ol className="guide-steps">
        {STEPS.map((s, i) => (
          <li key={s.id}>
            <span className="step-no" aria-hidden>
              {i + 1}
            </span>
            <span>
              <strong>{s.title}</strong> {s.text}
            </span>
          </li>
        ))}
      </ol>
      <div className="guide-actions">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            const folder = await editor.projectFolder('My first film');
            dispatch(setGuide(true));
            const ok = await editor.newProject('My first film', 'empty', folder?.dir);
            if (!ok) dispatch(setGuide(false));
            setBusy(false);
          }}
        >
          Start my first film
        </button>
        <button type="button" onClick={() => void save('skipped')}>
          Skip the guide
        </button>
      </div>
    </section>
  );
}

/** The bar under the studio's top bar while the guide runs: each step, done or not, and the button that goes there. */
export function FirstFilmBar() {
  const editor = useEditor();
  const dispatch = useAppDispatch();
  const characters = useAppSelector((s) => charactersSel.selectTotal(s));
  const shots = useAppSelector(shotsSel.selectAll);
  const takes = useAppSelector((s) => takesSel.selectTotal(s));
  const framedShots = shots.filter((s) => s.framing).length;
  const steps = guideSteps({ characters, framedShots, takes });
  const now = currentStep(steps);
  useEffect(() => {
    if (!now) void editor.setSettings({ firstFilm: 'done' });
  }, [now, editor]);
  const go = (step: GuideStep) => {
    if (step.id === 'cast') {
      dispatch(showScreen('edit'));
      dispatch(showEditPanel('cast'));
    } else if (step.id === 'shots') {
      dispatch(showScreen('storyboard'));
      const first = shots[0];
      if (first) dispatch(pickShot(first.id));
    } else runAction(editor, 'generate.all');
  };
  return (
    <section className="guide-bar" aria-label="Guided first film">
      <strong>Your first film</strong>
      <ol className="guide-steps inline">
        {steps.map((s, i) => (
          <li key={s.id} className={s.done ? 'done' : s === now ? 'now' : ''} aria-current={s === now ? 'step' : undefined}>
            <span className="step-no" aria-hidden>
              {s.done ? '✓' : i + 1}
            </span>
            {s.title}
            <span className="sr-only">{s.done ? ' (done)' : ''}</span>
          </li>
        ))}
      </ol>
      <span className="guide-text">{now ? now.text : 'Your first film is made: export it with Export (Ctrl+E).'}</span>
      {now ? (
        <button type="button" className="primary" onClick={() => go(now)}>
          {now.id === 'cast' ? 'Open the Cast panel' : now.id === 'shots' ? 'Go to the storyboard' : 'Generate all'}
        </button>
      ) : null}
      <button
        type="button"
        onClick={() => {
          dispatch(setGuide(false));
          if (now) void editor.setSettings({ firstFilm: 'skipped' });
        }}
      >
        {now ? 'Skip the guide' : 'Close the guide'}
      </button>
    </section>
  );
}
