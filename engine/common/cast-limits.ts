/** Limits of a character's parts that the schema and the Cast panel share. Browser-safe. */

/** The most reference images a character holds (Veo takes three per request; more is for picking). */
export const MAX_CHARACTER_REFERENCES = 8;
