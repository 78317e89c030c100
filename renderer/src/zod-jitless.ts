/**
 * zod compiles fast parsers with new Function() when the page allows eval. The studio's CSP has no
 * 'unsafe-eval', so zod's probe for it is a CSP violation on every load (test/e2e/csp.spec.ts): parse without
 * it. Imported first by main.tsx, before any module builds or runs a schema.
 */
import { config } from 'zod';

config({ jitless: true });
