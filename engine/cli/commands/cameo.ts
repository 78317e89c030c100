import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { challengePhrase } from '../../api/cameo-service.js';
import { RecentProjects } from '../../api/recent-projects.js';
import { CacheIndex } from '../../cache/cache-index.js';
import { openDatabase } from '../../cache/database.js';
import { MediaStore } from '../../cache/media-store.js';
import { defaultConsentContext } from '../../cameo/consent-check.js';
import { deleteCameoEverywhere } from '../../cameo/delete-everything.js';
import { identityOfCertificate, type IdentityRef } from '../../cameo/identity-ref.js';
import { CameoLibrary } from '../../cameo/library.js';
import { cameoView } from '../../cameo/library-view.js';
import { checkCameoRecording } from '../../cameo/recording-check.js';
import { verifyRecording } from '../../cameo/verify-recording.js';
import {
  CAMEO_KINDS,
  CAMEO_PERMISSIONS,
  PERMISSION_LABELS,
  type CameoKind,
  type CameoPermission,
  type CameoView,
} from '../../common/cameo-view.js';
import { inputError } from '../../common/errors.js';
import { characterNamed } from '../../model/cast.js';
import { loadProject } from '../../model/project-file.js';
import type { Project } from '../../model/schema.js';
import { loadSigningIdentity } from '../../provenance/identity.js';
import { requirePositional, stringOption, type CliCommand, type CliIO, type Parsed } from '../command.js';
import { WAIT_HELP, WAIT_OPTION } from '../open-project.js';
import { editProject } from '../project-edit.js';

const USAGE = [
  'klappe cameo add RECORDING --name NAME [--kind person|pet|object] [--permission only-me|approved|everyone] [--expires ISO-DATE] [--challenge "PHRASE"]',
  'cameo list | cameo whoami | cameo challenge',
  'cameo grant CAMEO (--to CERT.pem | --identity ID [--name NAME])',
  'cameo revoke CAMEO [--from IDENTITY-ID]',
  'cameo permission CAMEO --permission only-me|approved|everyone [--expires ISO-DATE|never]',
  'cameo delete CAMEO [--project DIR]',
  'cameo verify FILE [--challenge "PHRASE"] [--head-turn]',
  'cameo export CAMEO -o FILE | cameo import FILE',
  'cameo bind PROJECT --character NAME --cameo CAMEO | cameo unbind PROJECT --character NAME',
].join('\n       ');

function oneOf<T extends string>(parsed: Parsed, name: string, values: readonly T[], fallback: T): T {
  const v = stringOption(parsed, name) ?? fallback;
  if (!values.includes(v as T))
    throw inputError('BAD_ARGUMENTS', `--${name} must be one of ${values.join(', ')}, not "${v}"`, { path: `--${name}` });
  return v as T;
}

function isoOption(parsed: Parsed, name: string): string | undefined {
  const v = stringOption(parsed, name);
  if (v === undefined || v === 'never') return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime()))
    throw inputError('BAD_ARGUMENTS', `--${name} must be a date (2027-06-30 or an ISO time), not "${v}"`, { path: `--${name}` });
  return d.toISOString();
}

function describe(v: CameoView): string {
  const state = v.deletedAt
    ? `deleted ${v.deletedAt}`
    : v.revokedAt
      ? `revoked ${v.revokedAt}`
      : v.expiresAt
        ? `until ${v.expiresAt}`
        : 'no expiry';
  const lines = [
    `${v.displayName} (${v.id}): ${v.kind}, owner ${v.owner.name}${v.mine ? ' (you)' : ''}, ${PERMISSION_LABELS[v.permission]}, ${state}, consent v${v.consentVersion}`,
    `  you: ${v.decision.outcome} (${v.decision.rule}): ${v.decision.reason}`,
  ];
  for (const a of v.approved) lines.push(`  approved: ${a.name} (${a.id.slice(0, 16)}…) since ${a.grantedAt}`);
  return lines.join('\n');
}

function show(io: CliIO, parsed: Parsed, v: CameoView, verb: string): void {
  io.out(parsed.json ? JSON.stringify(v, null, 2) : `${verb}: ${describe(v)}`);
}

export const cameoCommand: CliCommand = {
  name: 'cameo',
  summary: 'cameos: record a likeness with signed consent, grant, revoke, delete, verify a recording',
  usage: USAGE,
  details: [
    'A cameo is owned by your signing identity (klappe identity show) and kept in the data folder, outside any project.',
    'Every change signs a new consent record; export/import carry it (with the references) to another machine, where an altered or forged record is refused.',
    'CAMEO is an id, an id prefix or the display name. A grant names the person by their certificate (PEM) or identity id (klappe cameo whoami on their machine).',
    'revoke without --from withdraws the cameo: every new generation with it is blocked, and its takes are flagged.',
    'delete removes the recording, the references and the cached takes that show the cameo (in the recent projects and --project).',
    'verify exits 0 when the recording passes, 3 when it does not.',
    WAIT_HELP,
  ],
  options: {
    name: { type: 'string' },
    kind: { type: 'string' },
    permission: { type: 'string' },
    expires: { type: 'string' },
    challenge: { type: 'string' },
    'head-turn': { type: 'boolean', default: false },
    to: { type: 'string' },
    identity: { type: 'string' },
    from: { type: 'string' },
    project: { type: 'string', multiple: true },
    output: { type: 'string', short: 'o' },
    character: { type: 'string' },
    cameo: { type: 'string' },
    ...WAIT_OPTION,
  },
  async run(parsed, io) {
    const action = requirePositional(parsed, 0, 'add|list|grant|revoke|delete|verify|…', USAGE);
    const library = new CameoLibrary();
    const ctx = () => ({ ...defaultConsentContext(), library });
    const view = (id: string) => cameoView(library.resolve(id), ctx());
    switch (action) {
      case 'verify': {
        const file = resolve(requirePositional(parsed, 1, 'FILE', USAGE));
        const challenge = stringOption(parsed, 'challenge');
        const t0 = performance.now();
        const r = await verifyRecording(file, {
          ...(challenge ? { challenge } : {}),
          requireHeadTurn: parsed.values['head-turn'] === true,
        });
        const ms = Math.round(performance.now() - t0);
        if (parsed.json) io.out(JSON.stringify({ passed: r.passed, reasons: r.reasons, measures: r.measures, ms }));
        else {
          io.out(`${file}: ${r.passed ? 'passed' : 'failed'} (${ms} ms)`);
          for (const x of r.reasons) io.out(`  ${x.code}: ${x.message}`);
        }
        return r.passed ? 0 : 3;
      }
      case 'challenge':
        io.out(parsed.json ? JSON.stringify({ phrase: challengePhrase() }) : challengePhrase());
        return 0;
      case 'whoami': {
        const id = await loadSigningIdentity();
        const me = identityOfCertificate(id.stored.chainPem);
        io.out(parsed.json ? JSON.stringify(me) : `${me.name}: ${me.id}`);
        return 0;
      }
      case 'list': {
        const all = library.list().map((e) => cameoView(e, ctx()));
        if (parsed.json) io.out(JSON.stringify(all, null, 2));
        else if (!all.length) io.out(`No cameos in ${library.dir}.`);
        else for (const v of all) io.out(describe(v));
        return 0;
      }
      case 'add': {
        const file = resolve(requirePositional(parsed, 1, 'RECORDING', USAGE));
        const name = stringOption(parsed, 'name');
        if (!name) throw inputError('BAD_ARGUMENTS', 'cameo add needs --name NAME', { path: '--name', hint: `Usage: ${USAGE}` });
        const kind: CameoKind = oneOf(parsed, 'kind', CAMEO_KINDS, 'person');
        const permission: CameoPermission = oneOf(parsed, 'permission', CAMEO_PERMISSIONS, 'only-me');
        const challenge = stringOption(parsed, 'challenge');
        const check = await checkCameoRecording(file, kind, {
          ...(challenge ? { challenge } : {}),
          requireHeadTurn: parsed.values['head-turn'] === true,
          signal: io.signal,
        });
        if (!check.passed)
          throw inputError(
            'CAMEO_RECORDING_FAILED',
            `${file}: the recording did not pass the check: ${check.reasons.map((r) => r.message).join('; ')}`,
            {
              file,
              issues: check.reasons.map((r) => ({ path: r.code, message: r.message })),
              hint: 'Record again: one face, looking at the camera, reading the phrase aloud (klappe cameo challenge gives one).',
            },
          );
        const expiresAt = isoOption(parsed, 'expires');
        const e = await library.add(
          file,
          { displayName: name, kind, permission, ...(expiresAt ? { expiresAt } : {}) },
          await loadSigningIdentity(),
          {
            signal: io.signal,
          },
        );
        show(io, parsed, cameoView(e, ctx()), 'Added');
        return 0;
      }
      case 'grant': {
        const ref = requirePositional(parsed, 1, 'CAMEO', USAGE);
        const to = stringOption(parsed, 'to');
        const idArg = stringOption(parsed, 'identity');
        let who: IdentityRef;
        if (to) who = identityOfCertificate(readText(resolve(to), '--to'), resolve(to));
        else if (idArg && /^[0-9a-f]{64}$/i.test(idArg))
          who = { id: idArg.toLowerCase(), name: stringOption(parsed, 'name') ?? idArg.slice(0, 12) };
        else
          throw inputError('BAD_ARGUMENTS', 'cameo grant needs --to CERT.pem or --identity ID (64 hex digits)', {
            path: '--to',
            hint: 'The person runs `klappe cameo whoami` (identity id) or sends their signing-chain.pem (klappe identity show).',
          });
        show(io, parsed, cameoView(await library.grant(ref, who, await loadSigningIdentity()), ctx()), `Granted to ${who.name}`);
        return 0;
      }
      case 'revoke': {
        const ref = requirePositional(parsed, 1, 'CAMEO', USAGE);
        const from = stringOption(parsed, 'from');
        const me = await loadSigningIdentity();
        const e = from ? await library.ungrant(ref, from, me) : await library.revoke(ref, me);
        show(io, parsed, cameoView(e, ctx()), from ? 'Grant revoked' : 'Revoked');
        return 0;
      }
      case 'permission': {
        const ref = requirePositional(parsed, 1, 'CAMEO', USAGE);
        const permission: CameoPermission = oneOf(parsed, 'permission', CAMEO_PERMISSIONS, view(ref).permission);
        const exp = stringOption(parsed, 'expires') === 'never' ? null : isoOption(parsed, 'expires');
        show(io, parsed, cameoView(await library.setPermission(ref, permission, await loadSigningIdentity(), exp), ctx()), 'Changed');
        return 0;
      }
      case 'delete': {
        const ref = requirePositional(parsed, 1, 'CAMEO', USAGE);
        const dirs = new Set([
          ...new RecentProjects().list().map((p) => p.dir),
          ...((parsed.values.project as string[] | undefined) ?? []).map((d) => resolve(d)),
        ]);
        const projects: Project[] = [];
        for (const d of dirs) {
          try {
            projects.push(loadProject(d).doc);
          } catch {
            /* a project that does not load holds nothing to remove */
          }
        }
        const db = openDatabase();
        try {
          const r = await deleteCameoEverywhere(ref, {
            library,
            index: new CacheIndex({ db, store: new MediaStore() }),
            identity: await loadSigningIdentity(),
            projects,
          });
          if (parsed.json)
            io.out(JSON.stringify({ cameo: cameoView(r.entry, ctx()), takes: r.takes, removedMedia: r.removedMedia }, null, 2));
          else
            io.out(
              `Deleted ${r.entry.consent.body.cameo.displayName}: recording and references removed; ${r.takes} take(s) in ${projects.length} project(s), ${r.removedMedia.length} cached file(s) removed`,
            );
        } finally {
          db.close();
        }
        return 0;
      }
      case 'export': {
        const ref = requirePositional(parsed, 1, 'CAMEO', USAGE);
        const out = stringOption(parsed, 'output');
        if (!out) throw inputError('BAD_ARGUMENTS', 'cameo export needs -o FILE', { path: '--output', hint: `Usage: ${USAGE}` });
        writeFileSync(resolve(out), `${JSON.stringify(library.exportRecord(ref), null, 2)}\n`);
        io.out(parsed.json ? JSON.stringify({ output: resolve(out) }) : `Wrote ${resolve(out)}`);
        return 0;
      }
      case 'import': {
        const file = resolve(requirePositional(parsed, 1, 'FILE', USAGE));
        show(io, parsed, cameoView(library.importRecord(file), ctx()), 'Imported');
        return 0;
      }
      case 'bind':
      case 'unbind': {
        const dir = requirePositional(parsed, 1, 'PROJECT', USAGE);
        const who = stringOption(parsed, 'character');
        if (!who)
          throw inputError('BAD_ARGUMENTS', `cameo ${action} needs --character NAME`, { path: '--character', hint: `Usage: ${USAGE}` });
        const cameoRef = stringOption(parsed, 'cameo');
        if (action === 'bind' && !cameoRef)
          throw inputError('BAD_ARGUMENTS', 'cameo bind needs --cameo CAMEO', { path: '--cameo', hint: `Usage: ${USAGE}` });
        const cameoId = action === 'bind' ? library.resolve(cameoRef!, '--cameo').consent.body.cameoId : null;
        let name = '';
        await editProject(dir, parsed, io, action === 'bind' ? 'Bind cameo' : 'Unbind cameo', (d) => {
          const c = characterNamed(d, who, '--character');
          name = c.name;
          return [{ type: 'character.cameo', characterId: c.id, cameoId }];
        });
        io.out(
          parsed.json
            ? JSON.stringify({ ok: true, character: name, cameoId })
            : cameoId
              ? `${name} now uses cameo ${cameoId}`
              : `${name} uses no cameo`,
        );
        return 0;
      }
      default:
        throw inputError('BAD_ARGUMENTS', `unknown cameo action "${action}"`, { path: 'action', hint: `Usage: ${USAGE}` });
    }
  },
};

function readText(file: string, path: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw inputError('FILE_NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, { file, path });
  }
}
