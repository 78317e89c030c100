/**
 * The studio's side of the cameo library (engine/cameo): record, grant,
 * revoke, delete; the consent check the generation queue runs; and the
 * `cameo.changed` event. The library lives outside the project, and the CLI
 * may change it from another process: a short poll of its stamp pushes every
 * change (a revocation, an expiry) to the studio within a second, with the
 * takes, projects and export plan it flags.
 */
import { randomInt } from 'node:crypto';
import type { CacheIndex } from '../cache/cache-index.js';
import { requireShotConsent, type ConsentContext } from '../cameo/consent-check.js';
import { deleteCameoEverywhere } from '../cameo/delete-everything.js';
import { currentIdentity, identityOfCertificate, looksLikeIdentityId, type IdentityRef } from '../cameo/identity-ref.js';
import { CameoLibrary } from '../cameo/library.js';
import { libraryView } from '../cameo/library-view.js';
import { checkCameoRecording, type CameoRecordingCheck } from '../cameo/recording-check.js';
import type { CameoKind, CameoLibraryView, CameoPermission } from '../common/cameo-view.js';
import { inputError } from '../common/errors.js';
import { loadProject } from '../model/project-file.js';
import type { Project } from '../model/schema.js';
import { loadSigningIdentity } from '../provenance/identity.js';
import { FileKeyStore, type KeyStore } from '../provenance/key-store.js';

/** The GRID corpus grammar (command, colour, preposition, letter, digit, adverb): short, easy to read, of a known spoken length. */
const GRAMMAR = [
  ['bin', 'lay', 'place', 'set'],
  ['blue', 'green', 'red', 'white'],
  ['at', 'by', 'in', 'with'],
  'abcdefghijklmnopqrstuvxyz'.split(''),
  ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'],
  ['again', 'now', 'please', 'soon'],
];

/** A random phrase the person reads aloud while recording ("place red at G nine now"). */
export function challengePhrase(): string {
  return GRAMMAR.map((words) => words[randomInt(words.length)]!)
    .map((w) => (w.length === 1 ? w.toUpperCase() : w))
    .join(' ');
}

export interface CameoServiceHost {
  openDoc(): Project | undefined;
  recentDirs(): string[];
  openDir(): string | undefined;
  index(): CacheIndex;
  emit(view: CameoLibraryView): void;
}

export class CameoService {
  readonly library: CameoLibrary;
  private readonly keyStore: KeyStore;
  private timer: NodeJS.Timeout | undefined;
  private lastStamp: string | undefined;

  constructor(
    private readonly host: CameoServiceHost,
    opts: { library?: CameoLibrary; keyStore?: KeyStore; pollMs?: number } = {},
  ) {
    this.library = opts.library ?? new CameoLibrary();
    this.keyStore = opts.keyStore ?? new FileKeyStore();
    this.timer = setInterval(() => this.poll(), opts.pollMs ?? 250);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  context(): ConsentContext {
    return { library: this.library, identity: currentIdentity(this.keyStore) };
  }

  /** The check the generation queue runs before a job is stored and again before it starts. */
  readonly consent = (doc: Project, shotId: string): void => requireShotConsent(doc, shotId, this.context());

  view(): CameoLibraryView {
    const open = this.host.openDir();
    const others: Array<{ dir: string; doc: Project }> = [];
    for (const dir of this.host.recentDirs()) {
      if (dir === open) continue;
      try {
        others.push({ dir, doc: loadProject(dir).doc });
      } catch {
        /* a recent project that no longer loads flags nothing */
      }
    }
    return libraryView(this.context(), this.host.openDoc(), others);
  }

  private poll(): void {
    const stamp = this.library.stamp();
    if (this.lastStamp === undefined) {
      this.lastStamp = stamp;
      this.expiries = this.futureExpiries();
    } else if (stamp !== this.lastStamp || (this.expiries[0] !== undefined && this.expiries[0] <= Date.now())) this.changed();
  }

  /** Expiry times still ahead (ms), soonest first: an expiry passing is a change too. */
  private expiries: number[] = [];
  private futureExpiries(): number[] {
    const now = Date.now();
    return this.library
      .list()
      .map((e) => (e.consent.body.expiresAt ? Date.parse(e.consent.body.expiresAt) : NaN))
      .filter((t) => t > now)
      .sort((a, b) => a - b);
  }

  /** Pushes the library (with its flags) to the studio now. */
  changed(): CameoLibraryView {
    this.lastStamp = this.library.stamp();
    this.expiries = this.futureExpiries();
    const v = this.view();
    this.host.emit(v);
    return v;
  }

  private signer() {
    return loadSigningIdentity({ store: this.keyStore });
  }

  async add(
    file: string,
    p: { name: string; kind: CameoKind; permission: CameoPermission; expiresAt?: string; challenge?: string },
    signal?: AbortSignal,
  ): Promise<{ check: CameoRecordingCheck; cameoId?: string; library: CameoLibraryView }> {
    const check = await checkCameoRecording(file, p.kind, {
      ...(p.challenge ? { challenge: p.challenge } : {}),
      ...(signal ? { signal } : {}),
    });
    if (!check.passed) return { check, library: this.view() };
    const e = await this.library.add(
      file,
      { displayName: p.name, kind: p.kind, permission: p.permission, ...(p.expiresAt ? { expiresAt: p.expiresAt } : {}) },
      await this.signer(),
      {
        signal,
      },
    );
    return { check, cameoId: e.consent.body.cameoId, library: this.changed() };
  }

  /** Grants to the holder of a certificate (PEM) or to an identity id (with a name). */
  async grant(cameoId: string, to: { certificate?: string; identityId?: string; name?: string }): Promise<CameoLibraryView> {
    let who: IdentityRef;
    if (to.certificate) who = identityOfCertificate(to.certificate, 'the certificate given');
    else if (to.identityId && looksLikeIdentityId(to.identityId) && to.identityId.length === 64)
      who = { id: to.identityId.toLowerCase(), name: to.name || to.identityId.slice(0, 12) };
    else
      throw inputError('BAD_PARAMS', 'a grant names the person by their certificate (PEM) or their 64-digit identity id', {
        path: 'params.certificate',
        hint: 'They find both with `klappe identity show` (the sha256 line is not the identity id: use `klappe cameo whoami`).',
      });
    await this.library.grant(cameoId, who, await this.signer());
    return this.changed();
  }

  async revoke(cameoId: string, identityId?: string): Promise<CameoLibraryView> {
    const me = await this.signer();
    if (identityId) await this.library.ungrant(cameoId, identityId, me);
    else await this.library.revoke(cameoId, me);
    return this.changed();
  }

  async setPermission(cameoId: string, permission: CameoPermission, expiresAt?: string | null): Promise<CameoLibraryView> {
    await this.library.setPermission(cameoId, permission, await this.signer(), expiresAt);
    return this.changed();
  }

  /** Imports a record file from the cameo's owner (checked: engine/cameo/consent-record.ts). */
  importRecord(file: string, name = file): CameoLibraryView {
    this.library.importRecord(file, name);
    return this.changed();
  }

  /** Deletes the cameo and the cached media of every take that shows it (the open project and the recent ones). */
  async deleteEverything(cameoId: string): Promise<{ removedMedia: number; takes: number; library: CameoLibraryView }> {
    const projects: Project[] = [];
    const open = this.host.openDoc();
    if (open) projects.push(open);
    for (const dir of this.host.recentDirs()) {
      if (dir === this.host.openDir()) continue;
      try {
        projects.push(loadProject(dir).doc);
      } catch {
        /* skip */
      }
    }
    const r = await deleteCameoEverywhere(cameoId, {
      library: this.library,
      index: this.host.index(),
      identity: await this.signer(),
      projects,
    });
    return { removedMedia: r.removedMedia.length, takes: r.takes, library: this.changed() };
  }
}
