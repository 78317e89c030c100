/**
 * Help topics in plain words: what the command palette finds besides actions
 * ("help", "cast", "lens", "export"…) and opens as a short page, and what the
 * guided first film links to. Pure data (no DOM): the studio shows them, and
 * the words are tested like the action list.
 */
export interface HelpTopic {
  id: string;
  title: string;
  /** More words the palette finds it by. */
  keywords: string[];
  /** A few short paragraphs. */
  body: string[];
  /** An action of the action list that does what the topic explains (the page offers it as a button). */
  action?: string;
}

export const HELP_TOPICS: readonly HelpTopic[] = [
  // "Keyboard shortcuts" is the action help.shortcuts itself (the palette lists it beside these).
  {
    id: 'first-film',
    title: 'Your first film in three steps',
    keywords: ['start', 'getting started', 'tutorial', 'guide', 'begin', 'new', 'intro', 'how'],
    body: [
      'Cast: open the Edit screen (Alt+3) and its Cast panel; add the people of your scene by name. The Set panel places them on start marks.',
      'Shots: on the Storyboard (Alt+1), “+ Shot” adds a shot; in the inspector pick its size (wide, close-up, over-the-shoulder…) and who it shows, and add its lines.',
      'Generate: “⚡ Generate all” (Ctrl+G) makes a take of every shot; the queue shows progress. Then Export (Ctrl+E) writes the film.',
    ],
  },
  {
    id: 'cast',
    title: 'Cast: characters, looks and voices',
    keywords: ['character', 'characters', 'actor', 'actors', 'people', 'person', 'voice', 'look', 'name'],
    body: [
      'Each character has a name, a look (how the previz draws them) and a voice. Add, rename and remove them in the Cast panel of the Edit screen.',
      'A prompt or line that names someone not in the cast gets a warning on its shot, with a button that adds them.',
    ],
    action: 'view.edit',
  },
  {
    id: 'shots',
    title: 'Shots: size, subject and lens',
    keywords: ['shot', 'framing', 'frame', 'size', 'close-up', 'wide', 'over-the-shoulder', 'camera', 'lens', 'subject', 'duration'],
    body: [
      'A shot is framed in film language: a size (wide, medium, close-up, over-the-shoulder, insert) and a subject; the camera is placed from them.',
      'Duration is in frames (at least 1). The lens is between 8 and 300 mm; the raw camera numbers are under “Camera (advanced)”.',
    ],
    action: 'view.storyboard',
  },
  {
    id: 'checks',
    title: 'Warnings before generating',
    keywords: ['warning', 'warnings', 'check', 'checks', 'problem', 'error', 'fix', 'badge'],
    body: [
      'Before anything is generated, each shot is checked: unknown names, a line longer than the shot, a subject out of frame, an empty prompt, a camera outside the set.',
      'A card with a problem shows a ⚠ badge with the count; click it to read the first one and fix it with one click. The inspector lists them all.',
    ],
    action: 'view.storyboard',
  },
  {
    id: 'generate',
    title: 'Generating takes and variations',
    keywords: ['generate', 'take', 'takes', 'render', 'queue', 'variation', 'again', 'seed', 'backend'],
    body: [
      '“Generate” makes a take of a shot; the queue lists every job with its shot, progress and time left, and can cancel or retry.',
      '“Generate again” makes another performance of the same shot (a new seed) beside the earlier takes; pick the one you want in the inspector.',
    ],
    action: 'generate.all',
  },
  {
    id: 'timeline',
    title: 'Cutting on the timeline',
    keywords: ['edit', 'timeline', 'cut', 'trim', 'split', 'ripple', 'clip', 'snap', 'playhead'],
    body: [
      'The Edit screen (Alt+3) shows the sequence: drag clips to move them, drag their edges to trim, S splits at the playhead, Shift+Delete closes the gap.',
      'Space plays, J/K/L shuttle, ← → step one frame, I and O mark in and out.',
    ],
    action: 'view.edit',
  },
  {
    id: 'audio',
    title: 'Editing sound',
    keywords: ['audio', 'sound', 'fade', 'gain', 'volume', 'mixer', 'loudness', 'waveform', 'silence'],
    body: [
      'Select a clip on the timeline and open the Audio panel: select a range on its waveform, then cut, silence, change the gain, fade in or fade out.',
      'The Mixer sets each track’s level; the export meets the loudness target you pick.',
    ],
    action: 'view.edit',
  },
  {
    id: 'export',
    title: 'Exporting the film',
    keywords: ['export', 'render', 'file', 'mp4', 'watermark', 'share', 'save video', 'c2pa'],
    body: [
      'Export (Ctrl+E) writes one video: 16:9 or 9:16, 720p or 1080p, with a visible and an invisible watermark and a signed record of how it was made.',
      'Shots without a take are generated first.',
    ],
    action: 'export.open',
  },
];

/** A topic the search `q` finds: every word of the search in its title, its keywords or the word "help". */
export function helpMatch(t: HelpTopic, q: string): boolean {
  const hay = ['help', t.title, ...t.keywords].join(' ').toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

export function helpTopic(id: string): HelpTopic | undefined {
  return HELP_TOPICS.find((t) => t.id === id);
}
