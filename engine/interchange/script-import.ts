/**
 * A Fountain screenplay onto the project, as typed commands the caller applies
 * as one undo step. Scenes, shots and lines named by the script's Klappe notes
 * are updated in place (their takes stay); the rest are added. New scenes get
 * a proposed shot breakdown: an establishing wide, a single on each speaker
 * (who then speaks their lines) and an insert for each named prop; without
 * `breakdown` only the wide is made and it speaks every line.
 */
import { PROP_KINDS } from '../common/prop-kinds.js';
import type { Rate } from '../common/time.js';
import type { CommandInput } from '../model/commands/index.js';
import { collectIds } from '../model/lookup.js';
import type { ClipSchema, Line, Project, PropKind, SceneHeading, ScriptExtra } from '../model/schema.js';
import type { z } from 'zod';

type ClipInput = z.input<typeof ClipSchema>;
import type { ProposedShot, ScriptImportReport } from '../common/script-import-report.js';
import { characterName, type FountainElement, type FountainScript } from './fountain.js';

export type { ProposedShot, ScriptImportReport };

interface SceneBlock {
  heading?: Extract<FountainElement, { type: 'scene' }>;
  actions: string[];
  dialogue: Array<Extract<FountainElement, { type: 'dialogue' }>>;
  /** Transitions, notes, sections… where they stand among the block's actions and lines. */
  extras: ScriptExtra[];
  /** Actions and lines so far (where the next extra stands). */
  count: number;
}

/** A script element that is not a scene, action or dialogue, as the project keeps it. */
function extraOf(e: FountainElement, after: number): ScriptExtra | undefined {
  if (e.type === 'transition' || e.type === 'centered' || e.type === 'note' || e.type === 'synopsis')
    return { kind: e.type, text: e.text.slice(0, 20_000), after };
  if (e.type === 'section') return { kind: 'section', text: e.text.slice(0, 20_000), depth: Math.min(6, e.depth), after };
  if (e.type === 'pagebreak') return { kind: 'pagebreak', text: '', after };
  return undefined;
}

const SECONDS_PER_WORD = 0.4;

function estimateFrames(text: string, rate: Rate): number {
  const words = text.split(/\s+/).filter(Boolean).length;
  return Math.max(24, Math.round(((1 + words * SECONDS_PER_WORD) * rate.num) / rate.den));
}

function stripMarkup(s: string): string {
  return s.replace(/[*_]+/g, '').trim();
}

export function scriptToCommands(
  doc: Project,
  script: FountainScript,
  opts: {
    breakdown?: boolean;
    /** Proposed shots the user left out, as "N/name" (N: the scene's place in the report's breakdown); the wide always stays. */
    skip?: ReadonlySet<string>;
  } = {},
): { commands: CommandInput[]; report: ScriptImportReport } {
  const breakdown = opts.breakdown ?? true;
  const rate = doc.sequence.rate;
  const report: ScriptImportReport = {
    scenesAdded: 0,
    scenesUpdated: 0,
    shotsAdded: 0,
    linesAdded: 0,
    linesUpdated: 0,
    charactersAdded: [],
    breakdown: [],
    notKept: {},
  };
  const commands: CommandInput[] = [];
  const used = collectIds(doc);
  const fresh = (base: string): string => {
    let n = 1;
    while (used.has(`${base}-${n}`)) n++;
    used.add(`${base}-${n}`);
    return `${base}-${n}`;
  };
  // title page → project
  const tp = (k: string) => script.titlePage.find((t) => t.key.toLowerCase() === k)?.value;
  if (script.titlePage.length) {
    const name = stripMarkup(tp('title') ?? '')
      .split('\n')[0]!
      .slice(0, 200);
    const author = stripMarkup(tp('author') ?? tp('authors') ?? '')
      .split('\n')[0]!
      .slice(0, 120);
    commands.push({
      type: 'project.update',
      patch: {
        ...(name ? { name } : {}),
        ...(author ? { creatorName: author } : {}),
        titlePage: script.titlePage.map((t) => ({ key: t.key.slice(0, 60), value: t.value.slice(0, 2000) })),
      },
    });
  }

  // characters by name
  const byName = new Map(doc.characters.map((c) => [c.name.toLowerCase(), c.id]));
  const characterOf = (cue: string): string => {
    const name = characterName(cue).slice(0, 80);
    const known = byName.get(name.toLowerCase());
    if (known) return known;
    const id = fresh(
      name
        .toLowerCase()
        .replace(/[^a-z0-9_.-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'character',
    );
    commands.push({ type: 'character.add', character: { id, name } });
    byName.set(name.toLowerCase(), id);
    report.charactersAdded.push(name);
    return id;
  };
  // split into scenes; what stands before the first scene (and the boneyard) is the project's
  const blocks: SceneBlock[] = [];
  const preamble: ScriptExtra[] = [];
  let cur: SceneBlock | undefined;
  for (const e of script.elements) {
    if (e.type === 'scene') {
      cur = { heading: e, actions: [], dialogue: [], extras: [], count: 0 };
      blocks.push(cur);
      continue;
    }
    if (e.type === 'action' || e.type === 'dialogue') {
      if (!cur) {
        cur = { actions: [], dialogue: [], extras: [], count: 0 };
        blocks.push(cur);
      }
      if (e.type === 'action') cur.actions.push(e.text);
      else cur.dialogue.push(e);
      cur.count += e.type === 'action' ? 1 : e.parts.length;
      continue;
    }
    const extra = extraOf(e, cur ? cur.count : preamble.length);
    if (extra) (cur ? cur.extras : preamble).push(extra);
  }
  for (const text of script.boneyard) preamble.push({ kind: 'boneyard', text: text.slice(0, 20_000), after: preamble.length });
  if (preamble.length || doc.scriptExtras?.length) commands.push({ type: 'project.update', patch: { scriptExtras: preamble } });
  const existingScene = new Map(doc.scenes.map((s) => [s.id, s]));
  const shotExists = new Set(doc.scenes.flatMap((s) => s.shots.map((sh) => sh.id)));
  const lineExists = new Set(doc.lines.map((l) => l.id));
  const video = doc.sequence.tracks.find((t) => t.kind === 'video');
  let cursor = video ? Math.max(0, ...video.clips.map((c) => c.recordStart + c.duration)) : 0;
  let sceneNumber = doc.scenes.length;
  // new clips and lines go in two commands at the end (after the scenes and shots they name)
  const newClips: ClipInput[] = [];
  const newLines: Line[] = [];
  for (const block of blocks) {
    const h = block.heading;
    const heading: SceneHeading = h?.heading ?? { prefix: '', location: 'OPENING', timeOfDay: '' };
    const action = block.actions.join('\n\n').slice(0, 2000);
    let sceneId = h?.ids.scene;
    const label = h ? h.text.replace(/^\./, '') : heading.location;
    // characters first: the scene's shots name them
    const speakers = [...new Set(block.dialogue.map((d) => characterOf(d.character)))];
    /** A new scene's shots go in its scene.add (one command for the scene and its breakdown). */
    let newShots: Array<Record<string, unknown>> | undefined;
    if (sceneId && existingScene.has(sceneId)) {
      commands.push({
        type: 'scene.update',
        sceneId,
        patch: { name: label.slice(0, 120), heading, scriptExtras: block.extras, ...(h?.number ? { number: h.number.slice(0, 16) } : {}) },
      });
      report.scenesUpdated++;
    } else {
      sceneId = fresh('scene');
      sceneNumber++;
      newShots = [];
      commands.push({
        type: 'scene.add',
        scene: {
          id: sceneId,
          number: (h?.number ?? String(sceneNumber)).slice(0, 16),
          name: label.slice(0, 120),
          heading,
          ...(block.extras.length ? { scriptExtras: block.extras } : {}),
          set: { kind: /^EXT/.test(heading.prefix) ? 'outdoor' : 'room', name: (heading.location || 'Room').slice(0, 80) },
          shots: newShots as [],
        },
      });
      report.scenesAdded++;
    }
    const allText = block.dialogue.flatMap((d) => d.parts.map((p) => p.text)).join(' ');
    // the scene's shots: the one the script names, else the proposed breakdown
    const shotFor = new Map<string, string>();
    let wideId = h?.ids.shot && shotExists.has(h.ids.shot) ? h.ids.shot : undefined;
    if (wideId) commands.push({ type: 'shot.update', shotId: wideId, patch: { action } });
    else {
      const proposed: ProposedShot[] = [{ name: 'Establishing wide', kind: 'wide', characterIds: speakers }];
      if (breakdown) {
        for (const c of speakers)
          proposed.push({
            name: `Single on ${doc.characters.find((x) => x.id === c)?.name ?? characterName(block.dialogue.find((d) => characterOf(d.character) === c)!.character)}`,
            kind: 'single',
            characterIds: [c],
          });
        const props = (Object.keys(PROP_KINDS) as PropKind[]).filter((k) => new RegExp(`\\b${k}s?\\b`, 'i').test(action));
        for (const p of props) proposed.push({ name: `Insert: ${p}`, kind: 'insert', characterIds: [], prop: p });
      }
      const place = report.breakdown.length;
      for (const p of proposed) if (p.kind !== 'wide' && opts.skip?.has(`${place}/${p.name}`)) p.skipped = true;
      report.breakdown.push({ scene: label, shots: proposed });
      for (const p of proposed) {
        if (p.skipped) continue;
        const id = fresh('shot');
        const said =
          p.kind === 'single'
            ? block.dialogue
                .filter((d) => characterOf(d.character) === p.characterIds[0])
                .flatMap((d) => d.parts.map((x) => x.text))
                .join(' ')
            : p.kind === 'wide' && !breakdown
              ? allText
              : '';
        const duration = p.kind === 'insert' ? 48 : estimateFrames(said || (p.kind === 'wide' ? action.slice(0, 200) : ''), rate);
        const shot = {
          id,
          name: p.name,
          action: p.kind === 'wide' ? action : p.kind === 'insert' ? `Insert on the ${p.prop}.` : action.slice(0, 2000),
          characterIds: p.characterIds,
          duration,
        };
        if (newShots)
          newShots.push({
            ...shot,
            number: String(newShots.length + 1),
            sceneStart: newShots.reduce((n, x) => n + (x.duration as number), 0),
            camera: { position: [0, 1.6, 5], target: [0, 1.2, 0] },
          });
        else commands.push({ type: 'shot.add', sceneId, shot });
        if (video) {
          newClips.push({ id: fresh('clip'), source: { type: 'shot', shotId: id }, recordStart: cursor, duration });
          cursor += duration;
        }
        report.shotsAdded++;
        if (p.kind === 'wide') wideId = id;
        if (p.kind === 'single') shotFor.set(p.characterIds[0]!, id);
      }
    }
    for (const d of block.dialogue) {
      const characterId = characterOf(d.character);
      d.parts.forEach((part, pi) => {
        const text = part.text.slice(0, 1000);
        const fields = {
          characterId,
          text,
          ...(part.parenthetical ? { parenthetical: part.parenthetical.slice(0, 200) } : {}),
          ...(d.extension ? { extension: d.extension.slice(0, 40) } : {}),
        };
        if (part.ids.line && lineExists.has(part.ids.line)) {
          commands.push({
            type: 'line.update',
            lineId: part.ids.line,
            patch: { ...fields, parenthetical: fields.parenthetical ?? null, extension: fields.extension ?? null },
          });
          report.linesUpdated++;
        } else {
          newLines.push({
            id: fresh('line'),
            ...fields,
            ...(d.dual && pi === 0 ? { dual: true } : {}),
            shotId: shotFor.get(characterId) ?? wideId!,
            readings: [],
          });
          report.linesAdded++;
        }
      });
    }
  }
  if (video && newClips.length) commands.push({ type: 'clip.addMany', trackId: video.id, clips: newClips });
  if (newLines.length) commands.push({ type: 'line.addMany', lines: newLines });
  return { commands, report };
}
