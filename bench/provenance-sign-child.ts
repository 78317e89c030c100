/** Child of the provenance benchmark: signs (or only reads) a file and prints its peak RSS in KB. */
import { readFileSync } from 'node:fs';
import { c2pa } from '../engine/provenance/c2pa.js';
import { runSignJob } from '../engine/provenance/sign-job.js';

const [mode, jobFile] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobFile!, 'utf8'));
c2pa();
if (mode === 'sign') await runSignJob(job);
else readFileSync(job.file);
process.stdout.write(`${process.resourceUsage().maxRSS}\n`);
