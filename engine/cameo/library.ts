/**
 * The cameo library: outside any project, in the data folder
 * (`<data>/cameos/<cameo id>/`): the signed consent record (consent.json), the
 * recording copied in, and the references derived from it. A `.stamp` file
 * changes with every change, so a running studio notices a grant or a
 * revocation made by the CLI within a poll.
 */
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, extname, join } from 'node:path';
import type { CameoKind, CameoPermission } from '../common/cameo-view.js';
import { inputError } from '../common/errors.js';
import { probe } from '../media/probe.js';
import type { SigningIdentity } from '../provenance/identity.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { sha256File, sha256Hex } from '../util/hash.js';
import { dataDir } from '../util/paths.js';
import { signConsent, verifyConsent, type ConsentBody, type SignedConsent } from './consent-record.js';
import { deriveCameoReferences } from './cameo-references.js';
import { writeStillFrames, writeVoiceSample } from './reference-files.js';
import { identityOfCertificate, type IdentityRef } from './identity-ref.js';

export interface CameoEntry {
  consent: SignedConsent;
  dir: string;
  /** The recording, while the cameo is not deleted. */
  recording?: string;
  /** Reference files present (face crops first), absolute paths. */
  references: string[];
}

/** A cameo's record file as it travels between machines (klappe cameo export/import). */
export interface CameoExport {
  format: 'klappe.cameo/1';
  consent: SignedConsent;
  /** Reference files by name, base64; their sha256 are in the signed record. */
  references: Record<string, string>;
}

export interface AddCameo {
  displayName: string;
  kind: CameoKind;
  permission: CameoPermission;
  expiresAt?: string;
}

type HistoryEntry = ConsentBody['history'][number];

export class CameoLibrary {
  constructor(readonly dir = join(dataDir(), 'cameos')) {}

  /** Changes with every change of the library (empty before the first). */
  stamp(): string {
    const f = join(this.dir, '.stamp');
    return existsSync(f) ? readFileSync(f, 'utf8') : '';
  }

  private touch(): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, '.stamp'), `${Date.now()}-${randomBytes(4).toString('hex')}`);
  }

  list(): CameoEntry[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((n) => n.startsWith('cameo-') && existsSync(join(this.dir, n, 'consent.json')))
      .map((n) => this.read(n))
      .sort((a, b) => a.consent.body.cameo.displayName.localeCompare(b.consent.body.cameo.displayName));
  }

  get(id: string): CameoEntry | undefined {
    return /^cameo-[0-9a-f]{16}$/.test(id) && existsSync(join(this.dir, id, 'consent.json')) ? this.read(id) : undefined;
  }

  /** A cameo by id, id prefix or display name; CAMEO_NOT_FOUND naming what was asked. */
  resolve(ref: string, path = 'CAMEO'): CameoEntry {
    const exact = this.get(ref);
    if (exact) return exact;
    const all = this.list();
    const hits = all.filter(
      (c) => c.consent.body.cameoId.startsWith(ref) || c.consent.body.cameo.displayName.toLowerCase() === ref.toLowerCase(),
    );
    if (hits.length === 1) return hits[0]!;
    throw inputError(
      hits.length ? 'CAMEO_AMBIGUOUS' : 'CAMEO_NOT_FOUND',
      `${hits.length ? 'more than one cameo matches' : 'no cameo'} "${ref}" in ${this.dir}`,
      {
        path,
        hint: all.length
          ? `Cameos: ${all.map((c) => `${c.consent.body.cameo.displayName} (${c.consent.body.cameoId})`).join(', ')}`
          : 'Add one with klappe cameo add RECORDING --name NAME.',
      },
    );
  }

  /** Records whose signature was checked, by cameo id, with the exact text checked. */
  private readonly verified = new Map<string, { text: string; consent: SignedConsent }>();

  private read(id: string): CameoEntry {
    const dir = join(this.dir, id);
    const file = join(dir, 'consent.json');
    // the library's own files are checked like imported ones: an edited consent.json is refused, not trusted;
    // a text verified before is not verified again (the check runs per shot and per take)
    const text = readFileSync(file, 'utf8');
    const known = this.verified.get(id);
    const consent = known?.text === text ? known.consent : verifyConsent(JSON.parse(text), file);
    this.verified.set(id, { text, consent });
    const recording = readdirSync(dir).find((n) => n.startsWith('recording.'));
    const refs = consent.body.cameo.references.map((r) => join(dir, 'references', r.name)).filter((f) => existsSync(f));
    return { consent, dir, ...(recording ? { recording: join(dir, recording) } : {}), references: refs };
  }

  private write(consent: SignedConsent): void {
    const dir = join(this.dir, consent.body.cameoId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(join(dir, 'consent.json'), `${JSON.stringify(consent, null, 2)}\n`);
    this.touch();
  }

  /** Copies a (checked) recording in, derives its references and signs the first consent record. */
  async add(recording: string, what: AddCameo, identity: SigningIdentity, opts: { signal?: AbortSignal } = {}): Promise<CameoEntry> {
    if (!existsSync(recording)) throw inputError('FILE_NOT_FOUND', `cannot read ${recording}`, { file: recording, path: 'RECORDING' });
    const owner = identityOfCertificate(identity.stored.chainPem);
    const cameoId = `cameo-${randomBytes(8).toString('hex')}`;
    const dir = join(this.dir, cameoId);
    mkdirSync(join(dir, 'references'), { recursive: true, mode: 0o700 });
    try {
      const copy = join(dir, `recording${extname(recording).toLowerCase() || '.mp4'}`);
      copyFileSync(recording, copy);
      const names = await this.derive(copy, join(dir, 'references'), what.kind, opts.signal);
      const references = await Promise.all(names.map(async (name) => ({ name, sha256: await sha256File(join(dir, 'references', name)) })));
      const now = new Date().toISOString();
      const consent = await signConsent(
        {
          cameoId,
          version: 1,
          owner,
          cameo: { kind: what.kind, displayName: what.displayName, recordingSha256: await sha256File(copy), references },
          permission: what.permission,
          approved: [],
          ...(what.expiresAt ? { expiresAt: what.expiresAt } : {}),
          history: [{ at: now, action: 'created', identity: owner, detail: `permission ${what.permission}` }],
        },
        identity,
      );
      this.write(consent);
      return this.read(cameoId);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /**
   * The references of a recording, by file name: for a person the best frontal face crops and the mean face
   * embedding (embedding.json), for a pet or an object a few frames; and a voice sample when it has sound.
   */
  private async derive(recording: string, refs: string, kind: CameoKind, signal?: AbortSignal): Promise<string[]> {
    const names: string[] = [];
    if (kind === 'person') {
      const r = await deriveCameoReferences(recording, refs, { ...(signal ? { signal } : {}) });
      names.push(...r.crops.map((c) => basename(c.file)));
      writeFileSync(
        join(refs, 'embedding.json'),
        JSON.stringify({ model: r.embeddingModel, framesUsed: r.framesUsed, embedding: [...r.embedding] }),
      );
      names.push('embedding.json');
    } else {
      const seconds = Number((await probe(recording, { signal })).format.duration ?? 3);
      names.push(...(await writeStillFrames(recording, refs, seconds, signal)));
    }
    if (await writeVoiceSample(recording, join(refs, 'voice.wav'), signal)) names.push('voice.wav');
    return names;
  }

  /** The face embeddings of the cameos that have one (for likeness matching: engine/safety/likeness.ts). */
  embeddings(): Array<{ id: string; name: string; embedding: Float32Array; model: string }> {
    const out: Array<{ id: string; name: string; embedding: Float32Array; model: string }> = [];
    for (const e of this.list()) {
      const f = e.references.find((r) => r.endsWith('embedding.json'));
      if (!f || e.consent.body.deletedAt) continue;
      const j = JSON.parse(readFileSync(f, 'utf8')) as { model: string; embedding: number[] };
      out.push({
        id: e.consent.body.cameoId,
        name: e.consent.body.cameo.displayName,
        embedding: Float32Array.from(j.embedding),
        model: j.model,
      });
    }
    return out;
  }

  /** Signs a new version of a cameo's record after `change` edits its body (only the owner can). */
  private async change(ref: string, identity: SigningIdentity, change: (b: ConsentBody, now: string) => HistoryEntry): Promise<CameoEntry> {
    const entry = this.resolve(ref);
    const body = structuredClone(entry.consent.body);
    if (body.deletedAt)
      throw inputError('CAMEO_DELETED', `cameo ${body.cameo.displayName} (${body.cameoId}) was deleted on ${body.deletedAt}`, {
        path: 'CAMEO',
      });
    const now = new Date().toISOString();
    const h = change(body, now);
    const { signedAt: _s, format: _f, ...rest } = body;
    const consent = await signConsent({ ...rest, version: body.version + 1, history: [...body.history, h] }, identity);
    this.write(consent);
    return this.read(body.cameoId);
  }

  grant(ref: string, to: IdentityRef, identity: SigningIdentity): Promise<CameoEntry> {
    return this.change(ref, identity, (b, at) => {
      b.approved = [...b.approved.filter((a) => a.id !== to.id), { ...to, grantedAt: at }];
      if (b.permission === 'only-me') b.permission = 'approved';
      return { at, action: 'granted', identity: to };
    });
  }

  /** Takes one identity off the approval list. */
  ungrant(ref: string, identityId: string, identity: SigningIdentity): Promise<CameoEntry> {
    return this.change(ref, identity, (b, at) => {
      const who = b.approved.find((a) => a.id === identityId || (identityId.length >= 8 && a.id.startsWith(identityId)));
      if (!who)
        throw inputError('NOT_GRANTED', `${identityId} is not on the approval list of ${b.cameo.displayName}`, {
          path: '--from',
          hint: b.approved.length
            ? `Approved: ${b.approved.map((a) => `${a.name} (${a.id.slice(0, 12)})`).join(', ')}`
            : 'Nobody is approved.',
        });
      b.approved = b.approved.filter((a) => a.id !== who.id);
      return { at, action: 'ungranted', identity: { id: who.id, name: who.name } };
    });
  }

  /** Withdraws the cameo: nobody (its owner included) may generate with it until it is granted again. */
  revoke(ref: string, identity: SigningIdentity): Promise<CameoEntry> {
    return this.change(ref, identity, (b, at) => {
      b.revokedAt = at;
      return { at, action: 'revoked' };
    });
  }

  setPermission(ref: string, permission: CameoPermission, identity: SigningIdentity, expiresAt?: string | null): Promise<CameoEntry> {
    return this.change(ref, identity, (b, at) => {
      b.permission = permission;
      delete b.revokedAt;
      if (expiresAt === null) delete b.expiresAt;
      else if (expiresAt) b.expiresAt = expiresAt;
      return { at, action: 'permission', detail: `${permission}${b.expiresAt ? `, until ${b.expiresAt}` : ''}` };
    });
  }

  /**
   * "Delete everything with me": the recording and references go, the record
   * stays (signed, marked deleted) so every use stays blocked and flagged,
   * and the removed cached media are listed in its history and in deletions.jsonl.
   */
  async delete(ref: string, identity: SigningIdentity, removedMedia: string[]): Promise<CameoEntry> {
    const entry = await this.change(ref, identity, (b, at) => {
      b.deletedAt = at;
      b.revokedAt ??= at;
      return { at, action: 'deleted', detail: `recording, references and ${removedMedia.length} cached media files removed` };
    });
    rmSync(join(entry.dir, 'references'), { recursive: true, force: true });
    if (entry.recording) rmSync(entry.recording, { force: true });
    appendFileSync(
      join(this.dir, 'deletions.jsonl'),
      `${JSON.stringify({ at: entry.consent.body.deletedAt, cameoId: entry.consent.body.cameoId, removedMedia })}\n`,
    );
    this.touch();
    return this.read(entry.consent.body.cameoId);
  }

  /** The record file to hand to another machine: the signed consent and the references it names. */
  exportRecord(ref: string): CameoExport {
    const e = this.resolve(ref);
    const references: Record<string, string> = {};
    for (const f of e.references) references[f.slice(f.lastIndexOf('/') + 1)] = readFileSync(f).toString('base64');
    return { format: 'klappe.cameo/1', consent: e.consent, references };
  }

  /**
   * Imports a record file: refused (CONSENT_SIGNATURE_INVALID) when altered or
   * forged, when signed by another owner than the one known for that cameo, or
   * when older than the one held (CONSENT_STALE); references must match the
   * signed sha256.
   */
  importRecord(path: string, file = path): CameoEntry {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw inputError('CONSENT_INVALID', `${file}: cannot be read as a cameo record: ${(e as Error).message}`, { file });
    }
    const x = raw as Partial<CameoExport> | null;
    const consentInput = x && typeof x === 'object' && 'consent' in x ? x.consent : raw;
    const known = (() => {
      const id = (consentInput as SignedConsent | undefined)?.body?.cameoId;
      return typeof id === 'string' ? this.get(id) : undefined;
    })();
    const consent = verifyConsent(consentInput, file, known ? { owner: known.consent.body.owner } : {});
    const b = consent.body;
    if (known && known.consent.body.version > b.version)
      throw inputError(
        'CONSENT_STALE',
        `${file}: version ${b.version} of ${b.cameo.displayName}'s consent is older than the version ${known.consent.body.version} held here`,
        {
          file,
          hint: 'A newer record (a later grant or a revocation) is already in the library.',
        },
      );
    const refs = (x && typeof x === 'object' && 'references' in x ? x.references : undefined) ?? {};
    const dir = join(this.dir, b.cameoId);
    mkdirSync(join(dir, 'references'), { recursive: true, mode: 0o700 });
    for (const r of b.cameo.references) {
      const data = refs[r.name];
      if (data === undefined || b.deletedAt) continue;
      const bytes = Buffer.from(data, 'base64');
      if (sha256Hex(bytes) !== r.sha256)
        throw inputError('CONSENT_SIGNATURE_INVALID', `${file}: reference ${r.name} is not the one the owner signed (sha256 differs)`, {
          file,
          path: `references.${r.name}`,
        });
      writeFileSync(join(dir, 'references', r.name), bytes);
    }
    if (b.deletedAt) rmSync(join(dir, 'references'), { recursive: true, force: true });
    this.write(consent);
    return this.read(b.cameoId);
  }
}
