/** Binding a character to a cameo of the library (or unbinding it): the likeness generation then asks consent for. */
import { z } from 'zod';
import { defineCommand, notFound } from './define.js';

export const characterCameo = defineCommand({
  type: 'character.cameo',
  label: 'Bind cameo',
  schema: z.object({
    type: z.literal('character.cameo'),
    characterId: z.string().min(1),
    /** The cameo's id in the library; null unbinds. */
    cameoId: z
      .string()
      .regex(/^cameo-[0-9a-f]{16}$/, 'a cameo id is "cameo-" and 16 hex digits')
      .nullable(),
  }),
  perform(doc, cmd) {
    const c = doc.characters.find((x) => x.id === cmd.characterId) ?? notFound('character', cmd.characterId, 'characterId');
    if (cmd.cameoId) c.cameoRef = cmd.cameoId;
    else delete c.cameoRef;
  },
});
