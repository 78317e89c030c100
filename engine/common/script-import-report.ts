/** What a screenplay import did (interchange/script-import.ts), as the studio shows it: browser-safe types only. */
export interface ProposedShot {
  name: string;
  kind: 'wide' | 'single' | 'insert';
  characterIds: string[];
  prop?: string;
  /** The user left it out of the breakdown (script.import's `skip`): not made. */
  skipped?: boolean;
}

export interface ScriptImportReport {
  scenesAdded: number;
  scenesUpdated: number;
  shotsAdded: number;
  linesAdded: number;
  linesUpdated: number;
  charactersAdded: string[];
  /** Per scene (by heading), the shots proposed for it. */
  breakdown: Array<{ scene: string; shots: ProposedShot[] }>;
  /** Script elements the project has no place for (transitions, centered text, notes, sections, synopses, boneyard), by kind. */
  notKept: Record<string, number>;
}
