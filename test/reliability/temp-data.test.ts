/**
 * Issue 19: temp data lives under the data folder (DATA/work), where a later
 * start sweeps what a killed process left, never in the system temp folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { burnCaptionsFilter } from '../../engine/audio/burn-captions.js';
import { captionCues } from '../../engine/audio/captions.js';
import { MediaStore } from '../../engine/cache/media-store.js';
import { parseProject } from '../../engine/model/project-file.js';
import { workRoot } from '../../engine/util/work-dir.js';
import { ROOT, tempDir } from '../support/env.js';

const t = tempDir('klappe-temp-data-');
const before = process.env.KLAPPE_DATA_DIR;
afterAll(() => {
  if (before === undefined) delete process.env.KLAPPE_DATA_DIR;
  else process.env.KLAPPE_DATA_DIR = before;
  t.cleanup();
});

describe('temp data', () => {
  it('the burned-in captions file goes to a work folder under DATA/work, removed by done()', () => {
    process.env.KLAPPE_DATA_DIR = join(t.dir, 'data');
    const { doc } = parseProject(readFileSync(join(ROOT, 'assets/templates/two-scenes/project.klappe'), 'utf8'));
    const burn = burnCaptionsFilter(doc, captionCues(doc, new MediaStore(join(t.dir, 'media'))), 1280, 720);
    expect(burn.file).toBeDefined();
    expect(dirname(dirname(burn.file!))).toBe(workRoot());
    expect(dirname(burn.file!)).toMatch(new RegExp(`klappe-captions-${process.pid}-[^/]+$`));
    expect(readFileSync(burn.file!, 'utf8')).toMatch(/-->/);
    expect(burn.filter).toContain(burn.file!.replace(/:/g, '\\:'));
    burn.done();
    expect(existsSync(dirname(burn.file!))).toBe(false);
  });
});
