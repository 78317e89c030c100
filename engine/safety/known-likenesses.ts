/** The faces the pre-export frame check knows: every cameo of the library with whether this identity may use it now. */
import { cameoDecision, type ConsentContext } from '../cameo/consent-check.js';
import type { KnownLikeness } from './frame-check.js';

export function knownLikenesses(ctx: ConsentContext): KnownLikeness[] {
  return ctx.library.embeddings().map((e) => ({
    id: e.id,
    name: e.name,
    embedding: e.embedding,
    granted: cameoDecision(ctx.library.get(e.id), e.id, ctx.identity, ctx.now).outcome === 'allow',
  }));
}
