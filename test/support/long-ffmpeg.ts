/** Runs ffmpeg for an hour in real time (-re: a test kills this process and checks ffmpeg dies with it). Prints "started" once it runs. */
import { runFfmpeg } from '../../engine/media/run.js';

const marker = process.argv[2] ?? 'klappe-long';
const done = runFfmpeg(
  ['-re', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5', '-t', '3600', '-metadata', `title=${marker}`, '-f', 'null', '-'],
  { onProgress: () => {} },
);
setTimeout(() => process.stdout.write('started\n'), 300);
await done;
