/** The export dialog's file name and folder become the file the export writes (engine/api/export-runner.ts). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultOutput, exportOutputPath } from '../../engine/api/export-runner.js';
import { isKlappeError } from '../../engine/common/errors.js';

const dir = join('/tmp', 'film');
const fallback = defaultOutput(dir, 'The Last Train', '16:9-720p');

describe('exportOutputPath', () => {
  it("defaults to a dated name in the project's exports folder", () => {
    expect(exportOutputPath(dir, fallback, {})).toBe(fallback);
    expect(exportOutputPath(dir, fallback, { fileName: ' ', folder: '' })).toBe(fallback);
    expect(fallback.startsWith(join(dir, 'exports', 'the-last-train-16x9-720p-'))).toBe(true);
  });

  it('a file name goes in the exports folder, ".mp4" added when it has no extension', () => {
    expect(exportOutputPath(dir, fallback, { fileName: 'final cut' })).toBe(join(dir, 'exports', 'final cut.mp4'));
    expect(exportOutputPath(dir, fallback, { fileName: 'final.mov' })).toBe(join(dir, 'exports', 'final.mov'));
  });

  it('a folder is taken as given when absolute, else inside the project folder', () => {
    expect(exportOutputPath(dir, fallback, { fileName: 'a', folder: '/srv/out' })).toBe(join('/srv/out', 'a.mp4'));
    expect(exportOutputPath(dir, fallback, { fileName: 'a', folder: 'deliveries' })).toBe(join(dir, 'deliveries', 'a.mp4'));
    expect(exportOutputPath(dir, fallback, { folder: 'deliveries' }).startsWith(join(dir, 'deliveries', 'the-last-train-'))).toBe(true);
  });

  it("an explicit output path wins (the CLI's --out)", () => {
    expect(exportOutputPath(dir, fallback, { output: '/x/y.mp4', fileName: 'a' })).toBe('/x/y.mp4');
  });

  it('a name with a folder in it or characters a file cannot have is refused, naming the field', () => {
    for (const fileName of ['../up', 'a/b', 'a\\b', 'what?', '..']) {
      try {
        exportOutputPath(dir, fallback, { fileName });
        expect.unreachable(fileName);
      } catch (e) {
        expect(isKlappeError(e) && e.code).toBe('BAD_FILE_NAME');
        expect(isKlappeError(e) && e.path).toBe('params.fileName');
      }
    }
  });
});
