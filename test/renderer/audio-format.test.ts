/** Audio numbers as panels show them: a reading's length in seconds. */
import { describe, expect, it } from 'vitest';
import { secondsText } from '../../renderer/src/audio/format.js';

describe('secondsText', () => {
  it('gives a length in 48 kHz samples as tenths of seconds', () => {
    expect(secondsText(67_200)).toBe('1.4 s');
    expect(secondsText(48_000 * 12)).toBe('12.0 s');
    expect(secondsText(0)).toBe('0.0 s');
    expect(secondsText(undefined)).toBeUndefined();
  });
});
