/**
 * Upgrades older project documents to the current schemaVersion, one step at a
 * time. Each step is a pure function from version N's JSON to version N+1's.
 * A document of a newer version is refused, never read: reading it would drop
 * the fields this build does not know (see SCHEMA_VERSION).
 */
import { inputError } from '../common/errors.js';
import { SCHEMA_VERSION } from './schema.js';

type Json = Record<string, unknown>;
type Migration = (doc: Json) => Json;

/** migrations[n] upgrades a version-n document to version n+1. */
export const MIGRATIONS: Record<number, Migration> = {
  1: migrateV1toV2,
  2: migrateV2toV3,
  3: migrateV3toV4,
  4: migrateV4toV5,
  5: migrateV5toV6,
  6: migrateV6toV7,
  7: migrateV7toV8,
  8: migrateV8toV9,
  9: migrateV9toV10,
  10: migrateV10toV11,
  11: migrateV11toV12,
};

export function migrate(raw: unknown, file?: string): { doc: unknown; from: number } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw inputError('PROJECT_INVALID', 'a project file must hold a JSON object', {
      file,
      path: '(root)',
      hint: 'Open a project.klappe written by Klappe.',
    });
  }
  const version = (raw as Json).schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    throw inputError('PROJECT_INVALID', `schemaVersion must be an integer, got ${JSON.stringify(version)}`, {
      file,
      path: 'schemaVersion',
    });
  }
  if (version > SCHEMA_VERSION) {
    throw inputError(
      'SCHEMA_TOO_NEW',
      `${file ? `${file}: ` : ''}made by a newer Klappe (schema version ${version}); this build reads up to ${SCHEMA_VERSION}`,
      {
        file,
        path: 'schemaVersion',
        hint: 'Update Klappe to open this project. This build does not open it, so it never saves over it.',
      },
    );
  }
  if (version < 1) {
    throw inputError('SCHEMA_UNKNOWN', `schemaVersion ${version} is not a Klappe version (expected 1 to ${SCHEMA_VERSION})`, {
      file,
      path: 'schemaVersion',
    });
  }
  let doc = raw as Json;
  if (version < SCHEMA_VERSION) refuseNullEntries(doc, file);
  for (let v = version; v < SCHEMA_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`no migration from schemaVersion ${v}`);
    try {
      doc = step(doc);
    } catch (e) {
      // a step reads an older shape; anything it cannot read is the file's problem, not an internal error
      throw inputError('PROJECT_INVALID', `${file ? `${file}: ` : ''}could not upgrade from schemaVersion ${v}: ${(e as Error).message}`, {
        file,
        path: '(root)',
        hint: 'Restore project.klappe.bak, or fix the file by hand.',
      });
    }
  }
  return { doc, from: version };
}

/**
 * Version 1 kept time as float seconds and the frame rate as a float (`fps`),
 * voices as a bare name, and the timeline under `timeline`. Version 2 keeps
 * integer frames at a rational rate and integer samples.
 */
function migrateV1toV2(v1: Json): Json {
  const rate = rateFromFps(Number(v1.fps ?? 24));
  const toFrames = (seconds: unknown): number => Math.max(0, Math.round((Number(seconds ?? 0) * rate.num) / rate.den));
  const arr = (x: unknown): Json[] => (Array.isArray(x) ? (x as Json[]) : []);

  const characters = arr(v1.characters).map((c) => ({
    ...omit(c, ['voice']),
    voice: typeof c.voice === 'string' ? { engine: 'flite', voice: c.voice } : c.voice,
  }));

  let cursor = 0;
  const scenes = arr(v1.scenes).map((s) => {
    const shots = arr(s.shots).map((sh) => {
      const duration = Math.max(1, toFrames(sh.durationSeconds));
      const shot = {
        ...omit(sh, ['durationSeconds', 'dialogue']),
        sceneStart: cursor,
        duration,
        dialogue: arr(sh.dialogue).map((l) => ({
          ...omit(l, ['character', 'atSeconds']),
          characterId: l.character,
          ...(l.atSeconds !== undefined ? { start: toFrames(l.atSeconds) } : {}),
        })),
      };
      cursor += duration;
      return shot;
    });
    cursor = 0;
    return { ...s, shots };
  });

  const timeline = (v1.timeline ?? {}) as Json;
  const tracks = arr(timeline.tracks).map((t) => ({
    ...omit(t, ['clips']),
    clips: arr(t.clips).map((c) => ({
      ...omit(c, ['shot', 'start', 'length', 'in', 'gain']),
      source: { type: 'shot', shotId: c.shot },
      sourceStart: toFrames(c.in),
      recordStart: toFrames(c.start),
      duration: Math.max(1, toFrames(c.length)),
      gainDb: Number(c.gain ?? 0),
    })),
  }));

  return {
    ...omit(v1, ['fps', 'width', 'height', 'timeline', 'characters', 'scenes']),
    schemaVersion: 2,
    characters,
    scenes,
    sequence: {
      id: String(timeline.id ?? 'seq-1'),
      name: String(timeline.name ?? 'Sequence'),
      rate,
      width: Number(v1.width ?? 1280),
      height: Number(v1.height ?? 720),
      tracks,
    },
  };
}

/**
 * Version 2 kept a shot's dialogue in `shot.dialogue[]` and a lane clip's
 * words, speaker and readings (`takes`, `selectedTakeId`) in `clip.line`: the
 * same words in two places, never linked. Version 3 keeps every line once in
 * `lines[]`: a shot's line names its shot, a lane clip names its line
 * (`clip.lineId`), readings are `readings` / `selectedReadingId`. Nothing is
 * dropped: every shot line and every clip line becomes a line entity with its
 * words, start and readings; a clip line that named a shot line (`lineId`)
 * with the same speaker and words becomes that line's clip.
 * Audio edits, gain envelopes, negative prompts and readings were written by
 * version-2 builds already: they carry over as they are.
 */
function migrateV2toV3(v2: Json): Json {
  const arr = (x: unknown): Json[] => (Array.isArray(x) ? (x as Json[]) : []);
  const used = new Set<string>();
  collectIdStrings(v2, used);
  const fresh = (base: string): string => {
    let n = 1;
    while (used.has(`${base}-${n}`)) n++;
    used.add(`${base}-${n}`);
    return `${base}-${n}`;
  };

  const lines: Json[] = [];
  const byId = new Map<string, Json>();
  const scenes = arr(v2.scenes).map((s) => ({
    ...s,
    shots: arr(s.shots).map((sh) => {
      for (const d of arr(sh.dialogue)) {
        const line: Json = { ...d, shotId: sh.id, readings: [] };
        lines.push(line);
        if (typeof d.id === 'string') byId.set(d.id, line);
      }
      return omit(sh, ['dialogue']);
    }),
  }));

  const claimed = new Set<Json>();
  const sequence = (v2.sequence ?? {}) as Json;
  const tracks = arr(sequence.tracks).map((t) => ({
    ...t,
    clips: arr(t.clips).map((c) => {
      const said = c.line as Json | undefined;
      if (!said || typeof said !== 'object') return c;
      const readings = {
        readings: arr(said.takes),
        ...(said.selectedTakeId !== undefined ? { selectedReadingId: said.selectedTakeId } : {}),
      };
      const named = typeof said.lineId === 'string' ? byId.get(said.lineId) : undefined;
      let line: Json;
      if (named && !claimed.has(named) && named.characterId === said.characterId && named.text === said.text) {
        line = Object.assign(named, readings);
      } else {
        line = { id: fresh(`${String(c.id)}-line`), characterId: said.characterId, text: said.text, ...readings };
        lines.push(line);
      }
      claimed.add(line);
      return { ...omit(c, ['line']), lineId: line.id };
    }),
  }));

  return { ...v2, schemaVersion: 3, scenes, lines, sequence: { ...sequence, tracks } };
}

/** Version 5 adds the optional `shot.framing`: a version-4 document is a version-5 one as it is. */
function migrateV4toV5(v4: Json): Json {
  return { ...v4, schemaVersion: 5 };
}

/** Every string `id` anywhere in a JSON value (ids a migration must not reuse). */
function collectIdStrings(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) collectIdStrings(v, into);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'id' && typeof v === 'string') into.add(v);
      else collectIdStrings(v, into);
    }
  }
}

/** Float fps of version 1 → rational rate (23.976 → 24000/1001). */
export function rateFromFps(fps: number): { num: number; den: number } {
  for (const base of [24, 30, 60]) {
    if (Math.abs(fps - (base * 1000) / 1001) < 0.01) return { num: base * 1000, den: 1001 };
  }
  return { num: Math.round(fps), den: 1 };
}

function omit(o: Json, keys: string[]): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) if (!keys.includes(k)) out[k] = v;
  return out;
}

/** Version 4 adds an optional project budget (`budgetUsd`) and each take's real cost (`cost`); nothing older changes. */
function migrateV3toV4(v3: Json): Json {
  return { ...v3, schemaVersion: 4 };
}

/** Version 6 adds optional screenplay fields only (line parenthetical/extension/dual, scene heading, title page): nothing to move. */
function migrateV5toV6(v5: Json): Json {
  return { ...v5, schemaVersion: 6 };
}

/**
 * Version 7 bounds time (rates 1–240 fps, frames and samples within 24
 * hours) and adds no field: a version-6 document is a version-7 one; one
 * outside the bounds is refused by validation, naming the field.
 */
function migrateV6toV7(v6: Json): Json {
  return { ...v6, schemaVersion: 7 };
}

/**
 * Version 8 adds interchange fields: sequence markers (defaulting to none), a clip's transition into the next clip
 * and the rate of its source media. Nothing older changes meaning: a clip without `sourceRate` counts its source
 * frames at the sequence's rate, as before.
 */
function migrateV7toV8(v7: Json): Json {
  return { ...v7, schemaVersion: 8 };
}

/** Version 9 adds other editors' data kept on a clip (`interchange`, optional): nothing to move. */
function migrateV8toV9(v8: Json): Json {
  return { ...v8, schemaVersion: 9 };
}

/** Version 10 keeps a screenplay's other elements (`scriptExtras` on scenes and the project, optional): nothing to move. */
function migrateV9toV10(v9: Json): Json {
  return { ...v9, schemaVersion: 10 };
}

/**
 * Version 11 saves the export's loudness target with the project
 * (`exportLoudness`; new projects master for streaming). A project made
 * before it exported its mix as it was: it keeps doing so ('off').
 */
function migrateV10toV11(v10: Json): Json {
  return { ...v10, schemaVersion: 11, exportLoudness: v10.exportLoudness ?? 'off' };
}

/** Version 12 adds a character's reference images (`references`, optional): nothing to move. */
function migrateV11toV12(v11: Json): Json {
  return { ...v11, schemaVersion: 12 };
}

/** An older file with `null` (or a non-object) where a list holds entries: PROJECT_INVALID naming its JSON path. */
function refuseNullEntries(doc: unknown, file: string | undefined, path = ''): void {
  if (Array.isArray(doc)) {
    const objects = doc.some((x) => typeof x === 'object' && x !== null);
    doc.forEach((x, i) => {
      const at = `${path}[${i}]`;
      if (x === null || (objects && typeof x !== 'object')) {
        throw inputError('PROJECT_INVALID', `${file ? `${file}: ` : ''}${at}: an entry is ${JSON.stringify(x)}, not an object`, {
          file,
          path: at,
          hint: 'Remove the entry, or restore project.klappe.bak.',
        });
      }
      refuseNullEntries(x, file, at);
    });
  } else if (typeof doc === 'object' && doc !== null) {
    for (const [k, v] of Object.entries(doc)) refuseNullEntries(v, file, path ? `${path}.${k}` : k);
  }
}
