/**
 * The Cameos screen: record a likeness (camera and microphone, or a file)
 * while reading a random phrase, add it with a permission level and an
 * expiry, grant it to people (their certificate or identity id), revoke it,
 * delete everything with it, bind it to a character of the open project; and
 * the uses that are blocked now (flagged takes, projects, the export plan).
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CameoView } from '../../../engine/api/contract.js';
import {
  CAMEO_KINDS,
  CAMEO_PERMISSIONS,
  PERMISSION_LABELS,
  type CameoKind,
  type CameoPermission,
} from '../../../engine/common/cameo-view.js';
import { useEditor } from '../editor/context.js';
import { charactersSel } from '../store/selectors.js';
import { useAppSelector } from '../store/store.js';

export function CameosScreen() {
  const editor = useEditor();
  const view = useAppSelector((s) => s.cameos.view);
  const version = useAppSelector((s) => s.doc.version);
  useEffect(() => {
    // flags depend on the document too (a character bound, a take made): ask again after edits, at most every half second
    const t = setTimeout(() => void editor.loadCameos(), 500);
    return () => clearTimeout(t);
  }, [editor, version]);
  return (
    <main className="cameos" aria-label="Cameos">
      <header className="cameos-head">
        <h2>Cameos</h2>
        <span className="muted small" aria-label="Your identity">
          {view?.identity
            ? `You: ${view.identity.name} · identity ${view.identity.id.slice(0, 16)}…`
            : 'No signing identity yet (made when you add a cameo)'}
        </span>
      </header>
      <ImportRecord />
      <Flags />
      <div className="cameos-body">
        <RecordForm />
        <section className="cameo-list" aria-label="Cameo library">
          {view?.cameos.length ? view.cameos.map((c) => <CameoCard key={c.id} c={c} />) : <p className="muted">No cameos yet.</p>}
        </section>
      </div>
    </main>
  );
}

/** A record file a cameo's owner sent (klappe cameo export): an altered or forged one is refused with the reason. */
function ImportRecord() {
  const editor = useEditor();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="field cameo-import">
      <label htmlFor="cameo-import">Import a cameo record from its owner</label>
      <input
        id="cameo-import"
        ref={input}
        type="file"
        accept=".json,application/json"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f)
            void editor.importCameo(f).then((ok) => {
              if (ok) editor.toast('info', `Imported ${f.name}`);
              if (input.current) input.current.value = '';
            });
        }}
      />
    </div>
  );
}

function Flags() {
  const flags = useAppSelector((s) => s.cameos.view?.flags);
  const names = useAppSelector((s) => new Map((s.cameos.view?.cameos ?? []).map((c) => [c.id, c.displayName])));
  if (!flags || (!flags.takes.length && !flags.projects.length && !flags.exportPlan.blocked)) return null;
  return (
    <section className="cameo-flags" role="alert" aria-label="Blocked uses">
      <h3>Blocked uses</h3>
      {flags.takes.length ? (
        <ul aria-label="Flagged takes">
          {flags.takes.map((t) => (
            <li key={t.takeId}>
              Shot {t.shot}: {names.get(t.cameoId) ?? t.cameoId} ({t.rule})
            </li>
          ))}
        </ul>
      ) : null}
      {flags.exportPlan.blocked ? (
        <p>The export plan shows {flags.exportPlan.cameoIds.map((id) => names.get(id) ?? id).join(', ')}: exporting is blocked.</p>
      ) : null}
      {flags.projects.length ? (
        <ul aria-label="Flagged projects">
          {flags.projects.map((p) => (
            <li key={p.dir}>
              Project {p.name}: {p.cameoIds.map((id) => names.get(id) ?? id).join(', ')}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function RecordForm() {
  const editor = useEditor();
  const [phrase, setPhrase] = useState('');
  const [file, setFile] = useState<File | undefined>();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<CameoKind>('person');
  const [permission, setPermission] = useState<CameoPermission>('only-me');
  const [expires, setExpires] = useState('');
  const [reasons, setReasons] = useState<Array<{ code: string; message: string }> | undefined>();
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const newPhrase = () => void editor.cameoChallenge().then((p) => p && setPhrase(p));
  useEffect(newPhrase, [editor]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    const r = await editor.addCameo(file, {
      name: name.trim(),
      kind,
      permission,
      ...(phrase ? { challenge: phrase } : {}),
      ...(expires ? { expiresAt: new Date(`${expires}T23:59:59Z`).toISOString() } : {}),
    });
    setBusy(false);
    if (!r) return;
    setReasons(r.check.reasons);
    if (r.check.passed) {
      editor.toast('info', `Added cameo ${name.trim()}`);
      setName('');
      setFile(undefined);
      if (fileInput.current) fileInput.current.value = '';
      newPhrase();
    }
  };
  return (
    <form className="cameo-record" aria-label="Record a cameo" onSubmit={(e) => void submit(e)}>
      <h3>Record a cameo</h3>
      <p className="small">Look at the camera, read this phrase aloud, and turn your head slowly:</p>
      <p className="challenge" aria-label="Challenge phrase">
        “{phrase}”
      </p>
      <button type="button" className="mini" onClick={newPhrase}>
        New phrase
      </button>
      <CameraRecorder onRecorded={(f) => setFile(f)} />
      <div className="field">
        <label htmlFor="cameo-file">Recording file</label>
        <input id="cameo-file" ref={fileInput} type="file" accept="video/*" onChange={(e) => setFile(e.target.files?.[0] ?? undefined)} />
      </div>
      <div className="field">
        <label htmlFor="cameo-name">Name</label>
        <input id="cameo-name" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} required />
      </div>
      <div className="field">
        <label htmlFor="cameo-kind">Kind</label>
        <select id="cameo-kind" value={kind} onChange={(e) => setKind(e.target.value as CameoKind)}>
          {CAMEO_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="cameo-permission">Who may use it</label>
        <select id="cameo-permission" value={permission} onChange={(e) => setPermission(e.target.value as CameoPermission)}>
          {CAMEO_PERMISSIONS.map((p) => (
            <option key={p} value={p}>
              {PERMISSION_LABELS[p]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="cameo-expires">Expires (optional)</label>
        <input id="cameo-expires" type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </div>
      <button type="submit" className="primary" disabled={!file || !name.trim() || busy}>
        {busy ? 'Checking…' : 'Check and add'}
      </button>
      {reasons?.length ? (
        <ul className="cameo-reasons" role="status" aria-label="Recording check">
          {reasons.map((r) => (
            <li key={r.code}>
              {r.code}: {r.message}
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}

/** Records from the camera and microphone (getUserMedia + MediaRecorder) into a file for the check. */
function CameraRecorder({ onRecorded }: { onRecorded: (f: File) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const recorder = useRef<MediaRecorder | undefined>(undefined);
  const [state, setState] = useState<'off' | 'ready' | 'recording' | 'done'>('off');
  const [error, setError] = useState('');
  const stream = useRef<MediaStream | undefined>(undefined);
  useEffect(() => () => stream.current?.getTracks().forEach((t) => t.stop()), []);
  const start = async () => {
    try {
      stream.current = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      if (video.current) {
        video.current.srcObject = stream.current;
        void video.current.play();
      }
      setState('ready');
    } catch (e) {
      setError(`No camera: ${(e as Error).message}. Pick a recording file instead.`);
    }
  };
  const record = () => {
    if (!stream.current) return;
    const chunks: Blob[] = [];
    const r = new MediaRecorder(stream.current);
    r.ondataavailable = (e) => chunks.push(e.data);
    r.onstop = () => {
      onRecorded(new File(chunks, 'recording.webm', { type: r.mimeType || 'video/webm' }));
      setState('done');
    };
    recorder.current = r;
    r.start();
    setState('recording');
  };
  return (
    <div className="camera">
      <video ref={video} muted playsInline hidden={state === 'off'} width={240} />
      {state === 'off' ? (
        <button type="button" onClick={() => void start()}>
          Use camera
        </button>
      ) : state === 'recording' ? (
        <button type="button" onClick={() => recorder.current?.stop()}>
          Stop recording
        </button>
      ) : (
        <button type="button" onClick={record}>
          {state === 'done' ? 'Record again' : 'Record'}
        </button>
      )}
      {state === 'done' ? <span className="small">Recorded.</span> : null}
      {error ? <p className="small muted">{error}</p> : null}
    </div>
  );
}

function CameoCard({ c }: { c: CameoView }) {
  const editor = useEditor();
  const characters = useAppSelector(charactersSel.selectAll);
  const loaded = useAppSelector((s) => s.doc.loaded);
  const [identityId, setIdentityId] = useState('');
  const [character, setCharacter] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const certInput = useRef<HTMLInputElement>(null);
  const boundTo = characters.filter((x) => x.cameoRef === c.id);
  const state = c.deletedAt
    ? `deleted ${day(c.deletedAt)}`
    : c.revokedAt
      ? `revoked ${day(c.revokedAt)}`
      : c.expiresAt
        ? `until ${day(c.expiresAt)}`
        : 'no expiry';
  const grantCert = async (f: File | undefined) => {
    if (!f) return;
    await editor.grantCameo({ cameoId: c.id, certificate: await f.text() });
    if (certInput.current) certInput.current.value = '';
  };
  return (
    <article className={`cameo-card ${c.decision.outcome}`} aria-label={`Cameo ${c.displayName}`}>
      <header>
        <h3>{c.displayName}</h3>
        <span className="small muted">
          {c.kind} · owner {c.owner.name}
          {c.mine ? ' (you)' : ''} · {PERMISSION_LABELS[c.permission]} · {state} · consent v{c.consentVersion}
        </span>
      </header>
      <p className={`cameo-decision ${c.decision.outcome}`} aria-label={`Consent for ${c.displayName}`}>
        {c.decision.outcome === 'allow' ? 'You may use it: ' : 'Blocked: '}
        {c.decision.reason}
      </p>
      {c.approved.length ? (
        <ul className="small" aria-label={`Approved for ${c.displayName}`}>
          {c.approved.map((a) => (
            <li key={a.id}>
              {a.name} ({a.id.slice(0, 12)}…) since {day(a.grantedAt)}
              {c.mine && !c.deletedAt ? (
                <button
                  type="button"
                  className="mini"
                  onClick={() => void editor.revokeCameo(c.id, a.id)}
                  aria-label={`Revoke the grant to ${a.name}`}
                >
                  Revoke grant
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {c.mine && !c.deletedAt ? (
        <div className="cameo-actions">
          <div className="field">
            <label htmlFor={`cert-${c.id}`}>Approve a person (their certificate, PEM)</label>
            <input
              id={`cert-${c.id}`}
              ref={certInput}
              type="file"
              accept=".pem,.crt,.cer,text/plain"
              onChange={(e) => void grantCert(e.target.files?.[0])}
            />
          </div>
          <form
            className="inline"
            onSubmit={(e) => {
              e.preventDefault();
              void editor.grantCameo({ cameoId: c.id, identityId: identityId.trim() }).then((ok) => ok && setIdentityId(''));
            }}
          >
            <label htmlFor={`ident-${c.id}`}>or their identity id</label>
            <input id={`ident-${c.id}`} value={identityId} placeholder="64 hex digits" onChange={(e) => setIdentityId(e.target.value)} />
            <button type="submit" disabled={identityId.trim().length !== 64}>
              Approve
            </button>
          </form>
          <div className="row">
            {c.revokedAt ? (
              <button type="button" onClick={() => void editor.setCameoPermission({ cameoId: c.id, permission: c.permission })}>
                Allow again
              </button>
            ) : (
              <button type="button" className="danger" onClick={() => void editor.revokeCameo(c.id)}>
                Revoke cameo
              </button>
            )}
            {confirmDelete ? (
              <button type="button" className="danger" onClick={() => void editor.deleteCameo(c.id).then(() => setConfirmDelete(false))}>
                Confirm: delete it and every cached take with it
              </button>
            ) : (
              <button type="button" onClick={() => setConfirmDelete(true)}>
                Delete everything with me
              </button>
            )}
          </div>
        </div>
      ) : null}
      {loaded && !c.deletedAt ? (
        <div className="cameo-bind">
          <label htmlFor={`bind-${c.id}`}>Character</label>
          <select id={`bind-${c.id}`} value={character} onChange={(e) => setCharacter(e.target.value)}>
            <option value="">—</option>
            {characters.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            disabled={!character}
            onClick={() => void editor.apply({ type: 'character.cameo', characterId: character, cameoId: c.id }, 'Bind cameo')}
          >
            Use for character
          </button>
          {boundTo.length ? (
            <span className="small">
              Used by {boundTo.map((x) => x.name).join(', ')}{' '}
              {boundTo.map((x) => (
                <button
                  key={x.id}
                  type="button"
                  className="mini"
                  onClick={() => void editor.apply({ type: 'character.cameo', characterId: x.id, cameoId: null }, 'Unbind cameo')}
                >
                  Unbind {x.name}
                </button>
              ))}
            </span>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

function day(iso: string): string {
  return iso.slice(0, 10);
}
