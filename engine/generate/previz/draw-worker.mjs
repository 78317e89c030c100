// Worker-thread entry for drawing previz frames. The engine is TypeScript run
// through tsx; a worker does not inherit the parent's loader, so register it here
// (works under `npx klappe`, vitest and plain `node --import tsx` alike).
import { register } from 'tsx/esm/api';

register();
await import('./draw-worker.ts');
