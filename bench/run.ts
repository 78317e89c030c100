/** `npm run bench`: every benchmark, each printed as numbers next to a baseline measured in the same run. */
import { benchFoundation } from './foundation.bench.js';
import { benchProvenance } from './provenance.bench.js';

const suites: Array<[string, () => Promise<void>]> = [['foundation', benchFoundation], ['provenance', benchProvenance]];
const only = process.argv[2];
for (const [name, run] of suites) {
  if (only && only !== name) continue;
  process.stdout.write(`\n== ${name} ==\n`);
  await run();
}
