// The Electron engine host's entry point (a utilityProcess). The engine is
// TypeScript run through tsx's loader, as for the CLI, so that its worker
// threads (previz drawing, C2PA signing) find their own sources.
import { register } from 'tsx/esm/api';

register();
// temp files of the engine and its children go to a work folder swept after a kill (engine/util/work-dir.ts)
(await import('../engine/util/work-dir.ts')).useOwnTempDir();
await import('./engine-host.ts');
