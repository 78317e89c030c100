// The Electron engine host's entry point (a utilityProcess). The engine is
// TypeScript run through tsx's loader, as for the CLI, so that its worker
// threads (previz drawing, C2PA signing) find their own sources.
import { register } from 'tsx/esm/api';

register();
await import('./engine-host.ts');
