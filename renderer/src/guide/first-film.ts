/** The guided first film's three steps and when each is done, from the document (pure: tested in test/renderer/first-film.test.ts). */
export type GuideStepId = 'cast' | 'shots' | 'generate';

export interface GuideStep {
  id: GuideStepId;
  title: string;
  /** What to do, in a sentence. */
  text: string;
  done: boolean;
}

export interface GuideDoc {
  characters: number;
  /** Shots framed on a subject (size and subject chosen). */
  framedShots: number;
  takes: number;
}

export function guideSteps(d: GuideDoc): GuideStep[] {
  return [
    {
      id: 'cast',
      title: 'Cast',
      text: 'Add the people of your scene by name in the Cast panel.',
      done: d.characters > 0,
    },
    {
      id: 'shots',
      title: 'Shots',
      text: 'On the storyboard, give a shot a size and a subject (a close-up of someone), and a line if they speak.',
      done: d.framedShots > 0,
    },
    {
      id: 'generate',
      title: 'Generate',
      text: 'Generate all: each shot gets a take; the queue shows how far it is.',
      done: d.takes > 0,
    },
  ];
}

/** The step to do now (the first not done), or undefined when all are done. */
export function currentStep(steps: GuideStep[]): GuideStep | undefined {
  return steps.find((s) => !s.done);
}
