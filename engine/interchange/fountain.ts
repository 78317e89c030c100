/**
 * Fountain screenplays (https://fountain.io/syntax), read into elements and
 * written back from the project.
 *
 * Read: the title page (Key: value), scene headings (INT/EXT/EST/INT./EXT/I/E,
 * forced with ".", scene numbers #1A#), actions (forced "!"), character cues
 * (forced "@", extensions "(V.O.)", "(O.S.)", "(CONT'D)", dual dialogue "^"),
 * parentheticals, dialogue, transitions ("CUT TO:", forced ">"), centered text
 * (">THE END<"), notes ([[…]]), boneyard (/* … *\/), sections (#) and
 * synopses (=), page breaks (===). Mixed line ends, a BOM, tabs and trailing
 * spaces are normal input. Klappe's ids travel in notes
 * (`[[klappe scene=sc1 shot=s1]]` after a heading, `[[klappe line=l1]]` after
 * a line), so an edited script imported again updates the same scenes,
 * shots and lines, and their takes stay.
 */
import type { Project, SceneHeading, ScriptExtra } from '../model/schema.js';

export type FountainElement =
  | { type: 'scene'; heading: SceneHeading; text: string; number?: string; ids: KlappeIds; line: number }
  | { type: 'action'; text: string; line: number }
  | {
      type: 'dialogue';
      character: string;
      extension?: string;
      dual: boolean;
      parts: Array<{ parenthetical?: string; text: string; ids: KlappeIds }>;
      line: number;
    }
  | { type: 'transition'; text: string; line: number }
  | { type: 'centered'; text: string; line: number }
  | { type: 'section'; depth: number; text: string; line: number }
  | { type: 'synopsis'; text: string; line: number }
  | { type: 'note'; text: string; line: number }
  | { type: 'pagebreak'; line: number };

export interface KlappeIds {
  scene?: string;
  shot?: string;
  line?: string;
}

export interface FountainScript {
  titlePage: Array<{ key: string; value: string }>;
  elements: FountainElement[];
  /** Boneyard passages (/* … *\/), kept as written. */
  boneyard: string[];
}

const HEADING = /^(INT\.?\/EXT|I\/E|INT|EXT|EST)[. ]\s*(.*)$/i;
const KLAPPE_NOTE = /\[\[klappe ([^\]]*)\]\]/g;

function idsOf(text: string): { text: string; ids: KlappeIds } {
  const ids: KlappeIds = {};
  const rest = text.replace(KLAPPE_NOTE, (_a, body: string) => {
    for (const pair of body.trim().split(/\s+/)) {
      const [k, v] = pair.split('=');
      if ((k === 'scene' || k === 'shot' || k === 'line') && v) ids[k] = v;
    }
    return '';
  });
  return { text: rest.replace(/[ \t]+$/g, '').trim(), ids };
}

/** "KITCHEN - NIGHT" → location KITCHEN, time of day NIGHT. */
function splitHeading(prefix: string, rest: string): SceneHeading {
  const m = /^(.*?)\s+-\s+([^-]+)$/.exec(rest.trim());
  return m ? { prefix, location: m[1]!.trim(), timeOfDay: m[2]!.trim() } : { prefix, location: rest.trim(), timeOfDay: '' };
}

export function headingText(h: SceneHeading): string {
  const body = `${h.location}${h.timeOfDay ? ` - ${h.timeOfDay}` : ''}`;
  return h.prefix ? `${h.prefix}${h.prefix.endsWith('.') ? '' : '.'} ${body}` : `.${body}`;
}

const isCharacterCue = (s: string) => {
  if (s.startsWith('@')) return true;
  const name = s
    .replace(/\s*\^$/, '')
    .replace(/\s*\([^)]*\)\s*$/, '')
    .trim();
  return (
    /[A-Z]/.test(name) &&
    name === name.toUpperCase() &&
    /^[A-Z0-9 .'\-_#&]+$/u.test(name.normalize('NFD').replace(/[\u0300-\u036f]/g, '')) &&
    !/^\d+$/.test(name)
  );
};

export function parseFountain(input: string): FountainScript {
  let text = input
    .replace(/^\uFEFF/, '')
    .replace(/\r\n|\r/g, '\n')
    .replace(/\t/g, '    ');
  const boneyard: string[] = [];
  text = text.replace(/\/\*([\s\S]*?)\*\//g, (all, body: string) => {
    boneyard.push(body);
    return '\n'.repeat(all.split('\n').length - 1); // keep line numbers
  });
  const lines = text.split('\n').map((l) => (l.trim() === '' && l.length >= 2 && l.startsWith('  ') ? '  ' : l.replace(/[ \t]+$/, '')));
  const titlePage: FountainScript['titlePage'] = [];
  let i = 0;
  if (/^[A-Za-z][A-Za-z ]*:/.test(lines[0] ?? '') && !HEADING.test(lines[0]!)) {
    for (; i < lines.length && lines[i]!.trim() !== ''; i++) {
      const l = lines[i]!;
      const m = /^([A-Za-z][A-Za-z ]*):\s*(.*)$/.exec(l);
      if (m && !/^\s/.test(l)) {
        titlePage.push({ key: m[1]!, value: m[2]! });
      } else if (titlePage.length) {
        const last = titlePage[titlePage.length - 1]!;
        last.value = last.value ? `${last.value}\n${l.trim()}` : l.trim();
      }
    }
  }
  const elements: FountainElement[] = [];
  const blankAt = (k: number) => k < 0 || k >= lines.length || lines[k]!.trim() === '';
  while (i < lines.length) {
    const raw = lines[i]!;
    const l = raw.trim();
    const lineNo = i + 1;
    if (l === '') {
      i++;
      continue;
    }
    const prevBlank = blankAt(i - 1);
    if (/^={3,}$/.test(l)) {
      elements.push({ type: 'pagebreak', line: lineNo });
      i++;
      continue;
    }
    if (l.startsWith('#')) {
      const m = /^(#+)\s*(.*)$/.exec(l)!;
      elements.push({ type: 'section', depth: m[1]!.length, text: m[2]!, line: lineNo });
      i++;
      continue;
    }
    if (l.startsWith('=')) {
      elements.push({ type: 'synopsis', text: l.slice(1).trim(), line: lineNo });
      i++;
      continue;
    }
    if (/^\[\[[\s\S]*\]\]$/.test(l) && !/^\[\[klappe /.test(l)) {
      elements.push({ type: 'note', text: l.slice(2, -2).trim(), line: lineNo });
      i++;
      continue;
    }
    if (prevBlank && (HEADING.test(l) || /^\.[A-Za-z0-9]/.test(l))) {
      const { text: withNo, ids } = idsOf(l);
      let body = withNo;
      let number: string | undefined;
      const n = /\s*#([\w.-]+)#\s*$/.exec(body);
      if (n) {
        number = n[1];
        body = body.slice(0, n.index);
      }
      let heading: SceneHeading;
      if (body.startsWith('.')) heading = splitHeading('', body.slice(1));
      else {
        const m = HEADING.exec(body)!;
        heading = splitHeading(m[1]!.toUpperCase(), m[2]!);
      }
      // the ids note may be on its own line right after the heading
      let next = i + 1;
      while (next < lines.length && lines[next]!.trim() === '') next++;
      const after = lines[next]?.trim() ?? '';
      const own = /^\[\[klappe [^\]]*\]\]$/.test(after) ? idsOf(after).ids : {};
      if (Object.keys(own).length) lines[next] = '';
      elements.push({ type: 'scene', heading, text: body, ...(number ? { number } : {}), ids: { ...ids, ...own }, line: lineNo });
      i++;
      continue;
    }
    if (l.startsWith('>') && l.endsWith('<')) {
      elements.push({ type: 'centered', text: l.slice(1, -1).trim(), line: lineNo });
      i++;
      continue;
    }
    if ((l.startsWith('>') || (prevBlank && blankAt(i + 1) && l === l.toUpperCase() && /TO:$/.test(l))) && !l.startsWith('>>')) {
      elements.push({ type: 'transition', text: l.replace(/^>\s*/, ''), line: lineNo });
      i++;
      continue;
    }
    if (prevBlank && !blankAt(i + 1) && !l.startsWith('!') && isCharacterCue(l)) {
      let cue = l.replace(/^@/, '');
      const dual = /\^\s*$/.test(cue);
      cue = cue.replace(/\s*\^\s*$/, '');
      const ext = /\s*\(([^)]*)\)\s*$/.exec(cue);
      const character = (ext ? cue.slice(0, ext.index) : cue).trim();
      const parts: Array<{ parenthetical?: string; text: string; ids: KlappeIds }> = [];
      let paren: string | undefined;
      let buf: string[] = [];
      const flush = () => {
        if (!buf.length) return;
        const { text: t, ids } = idsOf(buf.join(' '));
        if (t) parts.push({ ...(paren ? { parenthetical: paren } : {}), text: t, ids });
        buf = [];
        paren = undefined;
      };
      i++;
      while ((i < lines.length && lines[i]!.trim() !== '') || (lines[i] === '  ' && !blankAt(i + 1))) {
        const d = lines[i]!.trim();
        if (/^\(.*\)$/.test(d)) {
          flush();
          paren = d.slice(1, -1).trim();
        } else buf.push(d);
        i++;
      }
      flush();
      elements.push({ type: 'dialogue', character, ...(ext ? { extension: ext[1]!.trim() } : {}), dual, parts, line: lineNo });
      continue;
    }
    // action: up to the next blank line
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '') para.push(lines[i++]!.replace(/^!/, ''));
    elements.push({ type: 'action', text: para.join('\n'), line: lineNo });
  }
  return { titlePage, elements, boneyard };
}

/** Title case of a character cue: "MIA" → "Mia", "DR. JONES" → "Dr. Jones". */
export function characterName(cue: string): string {
  return cue.toLowerCase().replace(/(^|[\s.'-])(\p{L})/gu, (_a, p: string, c: string) => p + c.toUpperCase());
}

/** A kept script element as Fountain writes it. */
function extraText(x: ScriptExtra): string {
  switch (x.kind) {
    case 'transition':
      return `> ${x.text}`;
    case 'centered':
      return `>${x.text}<`;
    case 'note':
      return `[[${x.text}]]`;
    case 'section':
      return `${'#'.repeat(x.depth ?? 1)} ${x.text}`;
    case 'synopsis':
      return `= ${x.text}`;
    case 'pagebreak':
      return '===';
    case 'boneyard':
      return `/*${x.text}*/`;
  }
}

/** The project as a Fountain screenplay, with Klappe's ids in notes (so an edited script imports onto the same scenes, shots and lines). */
export function formatFountain(doc: Project, opts: { ids?: boolean } = {}): string {
  const withIds = opts.ids ?? true;
  const out: string[] = [];
  const title = doc.titlePage?.length
    ? doc.titlePage
    : [{ key: 'Title', value: doc.name }, ...(doc.creator.name ? [{ key: 'Author', value: doc.creator.name }] : [])];
  for (const t of title)
    out.push(
      t.value.includes('\n')
        ? `${t.key}:\n${t.value
            .split('\n')
            .map((v) => `    ${v}`)
            .join('\n')}`
        : `${t.key}: ${t.value}`,
    );
  out.push('');
  const extras = (list: ScriptExtra[] | undefined, upTo: number, done: Set<ScriptExtra>) => {
    for (const x of list ?? []) {
      if (done.has(x) || x.after > upTo) continue;
      done.add(x);
      out.push('', extraText(x));
    }
  };
  const preamble = doc.scriptExtras?.filter((x) => x.kind !== 'boneyard');
  extras(preamble, Infinity, new Set());
  const names = new Map(doc.characters.map((c) => [c.id, c.name]));
  for (const scene of doc.scenes) {
    const written = new Set<ScriptExtra>();
    let count = 0;
    const heading = scene.heading ?? {
      prefix: scene.set.kind === 'outdoor' ? 'EXT' : 'INT',
      location: (scene.name || scene.set.name).toUpperCase(),
      timeOfDay: '',
    };
    out.push('', `${headingText(heading)} #${scene.number}#`);
    if (withIds) out.push(`[[klappe scene=${scene.id}${scene.shots[0] ? ` shot=${scene.shots[0].id}` : ''}]]`);
    const actionsSeen = new Set<string>();
    for (const shot of scene.shots) {
      const action = shot.action.trim();
      if (action && !actionsSeen.has(action)) {
        actionsSeen.add(action);
        extras(scene.scriptExtras, count, written);
        count++;
        out.push(
          '',
          action
            .split('\n')
            .map((a) => (isCharacterCue(a) || HEADING.test(a) ? `!${a}` : a))
            .join('\n'),
        );
      }
      for (const line of doc.lines.filter((l) => l.shotId === shot.id)) {
        extras(scene.scriptExtras, count, written);
        count++;
        const cue = (names.get(line.characterId) ?? line.characterId).toUpperCase();
        out.push('', `${cue}${line.extension ? ` (${line.extension})` : ''}${line.dual ? ' ^' : ''}`);
        if (line.parenthetical) out.push(`(${line.parenthetical})`);
        out.push(`${line.text}${withIds ? ` [[klappe line=${line.id}]]` : ''}`);
      }
    }
    extras(scene.scriptExtras, Infinity, written);
  }
  for (const x of doc.scriptExtras?.filter((e) => e.kind === 'boneyard') ?? []) out.push('', extraText(x));
  return `${out.join('\n').replace(/^\n+/, '')}\n`;
}
