/** Home: the guided first film, new project from a template (saying which folder it goes to), open a folder, recent projects. */
import { useEffect, useState } from 'react';
import type { AppInfo, ProjectFolder, RecentProject } from '../../../engine/api/contract.js';
import type { WireError } from '../../../engine/api/wire.js';
import { useEditor } from '../editor/context.js';
import { FirstFilmCard } from '../guide/FirstFilmGuide.js';

export function Home() {
  const editor = useEditor();
  const [info, setInfo] = useState<AppInfo>();
  const [recent, setRecent] = useState<RecentProject[]>([]);
  const [name, setName] = useState('Untitled film');
  const [template, setTemplate] = useState('two-scenes');
  const [openDir, setOpenDir] = useState('');
  const [folder, setFolder] = useState<ProjectFolder>();
  /** A folder that could not be opened, and why (shown in place, with what to do). */
  const [openError, setOpenError] = useState<{ dir: string; error: WireError }>();

  useEffect(() => {
    void editor.appInfo().then((i) => i && setInfo(i));
    void editor.recentProjects().then((r) => r && setRecent(r));
  }, [editor]);

  // where the project will go, said before it is made (a name already used gets a numbered folder)
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => void editor.projectFolder(name).then((f) => live && setFolder(f)), 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [editor, name]);

  const open = async (dir: string) => {
    setOpenError(undefined);
    const error = await editor.openProjectOrError(dir);
    if (error) setOpenError({ dir, error });
  };

  return (
    <main className="home" aria-label="Home">
      <div className="home-brand">
        <span className="logo" aria-hidden>
          ▞
        </span>{' '}
        Klappe <small>studio</small>
      </div>
      <FirstFilmCard />
      <div className="home-grid">
        <section className="card" aria-labelledby="new-h">
          <h2 id="new-h">New project</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              // the folder for this very name (the one shown may be a keystroke behind)
              void editor.projectFolder(name).then(async (f) => {
                const ok = await editor.newProject(name, template, f?.dir);
                if (ok && f?.taken) editor.toast('info', `Created “${name}” in ${f.dir}`);
              });
            }}
          >
            <label>
              Name
              <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
            </label>
            <fieldset className="templates">
              <legend>Template</legend>
              {(info?.templates ?? ['two-scenes', 'empty']).map((t) => (
                <label key={t} className={`template ${template === t ? 'on' : ''}`}>
                  <input type="radio" name="template" value={t} checked={template === t} onChange={() => setTemplate(t)} />
                  <strong>{t === 'two-scenes' ? 'Two scenes' : t === 'empty' ? 'Empty' : t}</strong>
                  <span>
                    {t === 'two-scenes' ? 'Kitchen and garden, two characters, five shots' : t === 'empty' ? 'One scene, one shot' : ''}
                  </span>
                </label>
              ))}
            </fieldset>
            {folder ? (
              <p className={`small ${folder.taken ? 'folder-taken' : 'muted'}`} role="status" aria-label="Project folder">
                {folder.taken ? (
                  <>
                    A project already uses the folder {lastPart(folder.taken)}: this one will be made in{' '}
                    <strong>{lastPart(folder.dir)}</strong> ({folder.dir}). Choose another name to change it.
                  </>
                ) : (
                  <>It will be made in {folder.dir}</>
                )}
              </p>
            ) : null}
            <button type="submit" className="primary">
              Create project
            </button>
          </form>
          {info && !folder ? <p className="muted small">New projects go to {info.projectsDir}</p> : null}
        </section>
        <section className="card" aria-labelledby="open-h">
          <h2 id="open-h">Open</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (openDir) void open(openDir);
            }}
          >
            <label>
              Project folder
              <input value={openDir} onChange={(e) => setOpenDir(e.target.value)} placeholder="/path/to/project" />
            </label>
            <button type="submit">Open project</button>
          </form>
          {openError ? (
            <div className="open-error" role="alert">
              <p>{openError.error.message}</p>
              {openError.error.code === 'PROJECT_NOT_FOUND' ? (
                <>
                  <p className="muted small">Pick the folder that holds project.klappe, or make a new project in this one.</p>
                  <button type="button" onClick={() => void editor.newProject(lastPart(openError.dir) || name, template, openError.dir)}>
                    Create a project here
                  </button>
                </>
              ) : openError.error.hint ? (
                <p className="muted small">{openError.error.hint}</p>
              ) : null}
            </div>
          ) : null}
          <h2>Recent</h2>
          {recent.length === 0 ? (
            <p className="muted">No recent projects.</p>
          ) : (
            <ul className="recent">
              {recent.map((r) => (
                <li key={r.dir}>
                  <button type="button" onClick={() => void open(r.dir)} aria-label={`Open ${r.name}`}>
                    <strong>{r.name}</strong>
                    <span className="muted small">{r.dir}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </main>
  );
}

/** The last part of a folder path ("the-last-train-2"). */
function lastPart(dir: string): string {
  return dir.split(/[\\/]/).filter(Boolean).pop() ?? dir;
}
