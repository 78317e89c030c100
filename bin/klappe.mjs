#!/usr/bin/env node
// The `klappe` CLI. The engine is TypeScript run through tsx's loader; no build step.
import { register } from 'tsx/esm/api';

register();
// temp files of this process and its children go to a work folder swept after a kill (engine/util/work-dir.ts)
(await import('../engine/util/work-dir.ts')).useOwnTempDir();
const { main } = await import('../engine/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
