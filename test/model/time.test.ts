import { describe, expect, it } from 'vitest';
import {
  frameToSample,
  framesToTimecode,
  parseRate,
  RATES,
  sampleToFrame,
  timecodeToFrames,
  samplesToFramesCeil,
} from '../../engine/common/time.js';

describe('time', () => {
  it('converts frames to samples exactly at rational rates', () => {
    expect(frameToSample(24, RATES['24'])).toBe(48000);
    expect(frameToSample(1, RATES['23.976'])).toBe(2002);
    expect(frameToSample(30000, RATES['29.97'])).toBe(48048000);
    expect(frameToSample(25, RATES['25'])).toBe(48000);
    for (const rate of Object.values(RATES)) {
      for (const f of [0, 1, 7, 1000, 123457]) expect(sampleToFrame(frameToSample(f, rate), rate)).toBe(f);
    }
    expect(samplesToFramesCeil(48001, RATES['24'])).toBe(25);
  });

  it('refuses fractional frames', () => {
    expect(() => frameToSample(1.5, RATES['24'])).toThrow(/integer/);
  });

  it('writes non-drop and drop-frame SMPTE timecode', () => {
    expect(framesToTimecode(0, RATES['24'])).toBe('00:00:00:00');
    expect(framesToTimecode(24 * 3661 + 5, RATES['24'])).toBe('01:01:01:05');
    // 29.97 drop-frame: frames ;00 and ;01 are skipped at each minute but every tenth.
    expect(framesToTimecode(1799, RATES['29.97'])).toBe('00:00:59;29');
    expect(framesToTimecode(1800, RATES['29.97'])).toBe('00:01:00;02');
    expect(framesToTimecode(17982, RATES['29.97'])).toBe('00:10:00;00');
    expect(framesToTimecode(3596, RATES['59.94'])).toBe('00:00:59;56');
    expect(framesToTimecode(3600, RATES['59.94'])).toBe('00:01:00;04');
    expect(framesToTimecode(1800, RATES['29.97'], { dropFrame: false })).toBe('00:01:00:00');
  });

  it('round-trips timecode for every rate', () => {
    for (const rate of Object.values(RATES)) {
      for (const f of [0, 1, 1799, 1800, 17982, 107892, 500000]) expect(timecodeToFrames(framesToTimecode(f, rate), rate)).toBe(f);
    }
  });

  it('parses rates and rejects nonsense', () => {
    expect(parseRate('30000/1001')).toEqual({ num: 30000, den: 1001 });
    expect(parseRate('25')).toEqual({ num: 25, den: 1 });
    expect(parseRate('23.976')).toEqual({ num: 24000, den: 1001 });
    expect(() => parseRate('fast')).toThrow(/not a frame rate/);
  });
});
