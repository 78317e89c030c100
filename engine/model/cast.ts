/** Finding characters, scenes and shots by what a person calls them (a name or a number), and fresh ids from names. Pure. */
import { inputError } from '../common/errors.js';
import { collectIds } from './lookup.js';
import type { Character, Project, Scene } from './schema.js';

/** The character called `nameOrId` (its id, or its name in any case); NOT_FOUND listing the cast. */
export function characterNamed(doc: Project, nameOrId: string, path = 'character'): Character {
  const key = nameOrId.trim().toLowerCase();
  const c = doc.characters.find((x) => x.id === nameOrId) ?? doc.characters.find((x) => x.name.toLowerCase() === key);
  if (!c) {
    throw inputError('NOT_FOUND', `no character called "${nameOrId}" in the cast`, {
      path,
      hint: doc.characters.length
        ? `The cast: ${doc.characters.map((x) => x.name).join(', ')}. Add one with: klappe cast add PROJECT --name "${nameOrId}"`
        : `The cast is empty. Add one with: klappe cast add PROJECT --name "${nameOrId}"`,
    });
  }
  return c;
}

/** The scene `idOrNumber` names (its id, its number or its name); NOT_FOUND listing the scenes. */
export function sceneNamed(doc: Project, idOrNumber: string, path = 'scene'): Scene {
  const key = idOrNumber.trim().toLowerCase();
  const s =
    doc.scenes.find((x) => x.id === idOrNumber) ??
    doc.scenes.find((x) => x.number === idOrNumber) ??
    doc.scenes.find((x) => x.name.toLowerCase() === key);
  if (!s)
    throw inputError('NOT_FOUND', `no scene "${idOrNumber}"`, {
      path,
      hint: doc.scenes.length
        ? `Scenes: ${doc.scenes.map((x) => `${x.number} ${x.name} (${x.id})`).join(', ')}.`
        : 'The project has no scene yet: klappe scene add PROJECT --name NAME',
    });
  return s;
}

/** An unused id made from a name: "Anna Lee" → "anna-lee" (then "anna-lee-2"…). */
export function idFromName(doc: Project, name: string, fallback: string): string {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || fallback;
  const used = collectIds(doc);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** "Leo: I kept it." → speaker and words; BAD_ARGUMENTS when there is no "NAME:". */
export function parseLineArg(text: string, path = '--line'): { speaker: string; text: string } {
  const m = /^\s*([^:]{1,80}):\s*(.+)$/s.exec(text);
  if (!m)
    throw inputError('BAD_ARGUMENTS', `${path} "${text}" must be "NAME: words"`, {
      path,
      hint: 'For example --line "Leo: I kept it for three years."',
    });
  return { speaker: m[1]!.trim(), text: m[2]!.trim() };
}
