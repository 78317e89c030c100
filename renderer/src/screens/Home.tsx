/** Home: new project from a template, open a folder, recent projects. */
import { useEffect, useState } from 'react';
import type { AppInfo, RecentProject } from '../../../engine/api/contract.js';
import { useEditor } from '../editor/context.js';

export function Home() {
  const editor = useEditor();
  const [info, setInfo] = useState<AppInfo>();
  const [recent, setRecent] = useState<RecentProject[]>([]);
  const [name, setName] = useState('Untitled film');
  const [template, setTemplate] = useState('two-scenes');
  const [openDir, setOpenDir] = useState('');

  useEffect(() => {
    void editor.appInfo().then((i) => i && setInfo(i));
    void editor.recentProjects().then((r) => r && setRecent(r));
  }, [editor]);

  return (
    <main className="home" aria-label="Home">
      <div className="home-brand">
        <span className="logo" aria-hidden>
          ▞
        </span>{' '}
        Klappe <small>studio</small>
      </div>
      <div className="home-grid">
        <section className="card" aria-labelledby="new-h">
          <h2 id="new-h">New project</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void editor.newProject(name, template);
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
            <button type="submit" className="primary">
              Create project
            </button>
          </form>
          {info ? <p className="muted small">New projects go to {info.projectsDir}</p> : null}
        </section>
        <section className="card" aria-labelledby="open-h">
          <h2 id="open-h">Open</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (openDir) void editor.openProject(openDir);
            }}
          >
            <label>
              Project folder
              <input value={openDir} onChange={(e) => setOpenDir(e.target.value)} placeholder="/path/to/project" />
            </label>
            <button type="submit">Open project</button>
          </form>
          <h2>Recent</h2>
          {recent.length === 0 ? (
            <p className="muted">No recent projects.</p>
          ) : (
            <ul className="recent">
              {recent.map((r) => (
                <li key={r.dir}>
                  <button type="button" onClick={() => void editor.openProject(r.dir)} aria-label={`Open ${r.name}`}>
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
