import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSrt, formatVtt } from '../../engine/audio/captions.js';
import { decodeCaptionBytes, parseCaptionBytes, parseCaptionStamp, parseCaptionText } from '../../engine/interchange/caption-files.js';
import { loadProject } from '../../engine/model/project-file.js';
import { ROOT, runCli, tempDir } from '../support/env.js';

const FIX = join(ROOT, 'test', 'fixtures', 'interchange');
const brief = (cues: Array<{ startSample: number; endSample: number; text: string; speakerName?: string }>) =>
  cues.map((c) => [c.startSample / 48, c.endSample / 48, c.text, c.speakerName]);

describe('caption files from other tools', () => {
  it('reads timestamps with , or . ms, 1-3 digit fractions, no hours and hours over 99', () => {
    expect(parseCaptionStamp('00:00:01,000')).toBe(1000);
    expect(parseCaptionStamp('00:00:01.5')).toBe(1500);
    expect(parseCaptionStamp('00:00:01,25')).toBe(1250);
    expect(parseCaptionStamp('01:02.003')).toBe(62_003);
    expect(parseCaptionStamp('123:00:00.000')).toBe(123 * 3_600_000);
    expect(parseCaptionStamp('00:61:00.000')).toBeUndefined();
  });

  it('reads an SRT with BOM, CRLF, a missing number, short fractions, cue settings, tags and no final newline', () => {
    const f = parseCaptionBytes(readFileSync(join(FIX, 'crlf-bom-no-final-newline.srt')), { file: 'x.srt' });
    expect(f.format).toBe('srt');
    expect(brief(f.cues)).toEqual([
      [1000, 2000, 'Hello', 'MIA'],
      [3500, 4250, 'Red text', undefined],
      [360_000_000, 360_001_000, 'Late', undefined],
    ]);
    expect(f.cues[2]!.settings).toBe('X1:10 X2:20');
    expect(parseCaptionBytes(readFileSync(join(FIX, 'crlf-bom-no-final-newline.srt')), { keepTags: true }).cues[1]!.text).toBe(
      '<font color="#ff0000">{\\an8}Red</font> text',
    );
  });

  it('reads a WebVTT with header, REGION, STYLE, NOTE, voices, entities, identifiers and cues out of order', () => {
    const f = parseCaptionText(readFileSync(join(FIX, 'real-world.vtt'), 'utf8'), { file: 'real-world.vtt' });
    expect(f.format).toBe('vtt');
    expect(f.regions).toEqual(['id:bill\nwidth:40%\nlines:3']);
    expect(f.styles).toEqual(['::cue(.loud) { color: red }']);
    expect(f.notes).toEqual(['This file was hand-edited\nand has a two-line note']);
    expect(f.reordered).toBe(1);
    expect(brief(f.cues)).toEqual([
      [1000, 2500, 'Tom & Jerry\u00a0ét&eacute;', undefined],
      [3000, 4000, 'Second cue on two lines', undefined],
      [5000, 6500, 'Is this your cup?', 'Mia'],
    ]);
    expect(f.cues[2]).toMatchObject({ identifier: 'intro', settings: 'align:start line:10% region:bill', line: 17 });
    const kept = parseCaptionText(readFileSync(join(FIX, 'real-world.vtt'), 'utf8'), { keepTags: true });
    expect(kept.cues[2]!.text).toBe('<v.loud Mia>Is <i>this</i> your cup?</v>');
  });

  it('decodes UTF-16 LE and BE with a BOM, and lone CR line ends', () => {
    const text = '1\r00:00:01,000 --> 00:00:02,000\rÉté\r';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le.subarray(2));
    be.swap16();
    expect(decodeCaptionBytes(le)).toBe(text);
    expect(decodeCaptionBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(text);
    expect(brief(parseCaptionBytes(le).cues)).toEqual([[1000, 2000, 'Été', undefined]]);
  });

  it('names the line and column of a malformed timing', () => {
    expect(() =>
      parseCaptionText('1\n00:00:01,000 --> 00:00:02,000\nhi\n\n2\n00:00:05,000 --> 0:0x:06,000\nho\n', { file: 'bad.srt' }),
    ).toThrow(/bad\.srt:6:18: expected an end time/);
    expect(() => parseCaptionText('WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nho\n', { file: 'b.vtt' })).toThrow(/b\.vtt:3:18: the cue ends/);
    expect(() => parseCaptionText('hello\nworld\n', { file: 'c.srt' })).toThrow(/c\.srt:2:1: expected a timing line/);
  });

  it('reads back what Klappe writes', () => {
    const cues = [
      { startSample: 48000, endSample: 96000, text: 'A < B & C', speaker: 'Mia', timing: 'clip' as const },
      { startSample: 100 * 3_600_000 * 48, endSample: 100 * 3_600_000 * 48 + 4800, text: 'late', timing: 'clip' as const },
    ];
    expect(brief(parseCaptionText(formatVtt(cues)).cues)).toEqual([
      [1000, 2000, 'A < B & C', 'Mia'],
      [360_000_000, 360_000_100, 'late', undefined],
    ]);
    expect(brief(parseCaptionText(formatSrt(cues)).cues)).toEqual([
      [1000, 2000, 'A < B & C', 'MIA'],
      [360_000_000, 360_000_100, 'late', undefined],
    ]);
  });
});

describe('klappe captions import', () => {
  it('puts a real-world WebVTT onto a dialogue track as one undo step; a broken file changes nothing', async () => {
    const t = tempDir('klappe-captions-import-');
    try {
      const env = { KLAPPE_DATA_DIR: join(t.dir, 'data'), KLAPPE_CONFIG_DIR: join(t.dir, 'config') };
      const project = join(t.dir, 'p');
      expect((await runCli(['new', project, '--template', 'two-scenes'], env)).status).toBe(0);
      const r = await runCli(['captions', 'import', project, join(FIX, 'real-world.vtt'), '--track', 'd1', '--json'], env);
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ imported: 3, format: 'vtt', reordered: 1 });
      const doc = loadProject(project).doc;
      const d1 = doc.sequence.tracks.find((x) => x.id === 'd1')!;
      const line = (id?: string) => doc.lines.find((l) => l.id === id);
      expect(d1.clips.map((c) => [c.recordStart, line(c.lineId)?.text])).toEqual([
        [24, 'Tom & Jerry\u00a0ét&eacute;'],
        [72, 'Second cue on two lines'],
        [120, 'Is this your cup?'],
      ]);
      expect(doc.characters.find((c) => c.id === line(d1.clips[2]!.lineId)?.characterId)?.name).toBe('Mia');
      const before = readFileSync(join(project, 'project.klappe'), 'utf8');
      const bad = join(t.dir, 'bad.srt');
      writeFileSync(bad, '1\n00:00:00,500 --> 00:00:01,000\nok\n\n00:00:02,000 --> later\nno\n');
      const b = await runCli(['captions', 'import', project, bad, '--track', 'd1'], env);
      expect(b.status).toBe(2);
      expect(b.stderr).toMatch(/bad\.srt:5:18: expected an end time/);
      expect(readFileSync(join(project, 'project.klappe'), 'utf8')).toBe(before);
    } finally {
      t.cleanup();
    }
  }, 60_000);
});
