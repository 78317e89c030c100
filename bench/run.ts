/** `npm run bench [SUITE]`: every benchmark, each printed as numbers next to a baseline measured in the same run. */
import { benchApi } from './api.bench.js';
import { benchAudio } from './audio.bench.js';
import { benchCameo } from './cameo.bench.js';
import { benchEstimates } from './estimates.bench.js';
import { benchFaces } from './faces.bench.js';
import { benchFarm } from './farm.bench.js';
import { benchFoundation } from './foundation.bench.js';
import { benchInterchange } from './interchange.bench.js';
import { benchJobs } from './jobs.bench.js';
import { benchLocalModels } from './local-models.bench.js';
import { benchLocalT2v } from './local-t2v.bench.js';
import { benchMix } from './mix.bench.js';
import { benchPreviz } from './previz.bench.js';
import { benchProvenance } from './provenance.bench.js';
import { benchSafety } from './safety.bench.js';
import { benchSound } from './sound.bench.js';
import { benchStudio } from './studio.bench.js';

const suites: Array<[string, () => Promise<void>]> = [
  ['foundation', benchFoundation],
  ['sound', benchSound],
  ['previz', benchPreviz],
  ['audio', benchAudio],
  ['mix', benchMix],
  ['jobs', benchJobs],
  ['provenance', benchProvenance],
  ['studio', benchStudio],
  ['interchange', benchInterchange],
  ['estimates', benchEstimates],
  ['farm', benchFarm],
  ['api', benchApi],
  // local inference: the text-to-video pipeline's cases (packs, enhance and TAEF2 add their own `local` entries)
  ['local', benchLocalT2v],
  ['local', benchLocalModels],
  ['faces', benchFaces],
  ['cameo', benchCameo],
  ['safety', benchSafety],
];
const only = process.argv[2];
for (const [name, run] of suites) {
  if (only && only !== name) continue;
  process.stdout.write(`\n== ${name} ==\n`);
  await run();
}
