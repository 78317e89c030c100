/** Export sizes users pick by name; any even WxH works too. */
import { inputError } from '../errors.js';

export const PRESETS = {
  '720x1280': { width: 720, height: 1280, label: '9:16 · 720p' },
  '1280x720': { width: 1280, height: 720, label: '16:9 · 720p' },
  '1080x1920': { width: 1080, height: 1920, label: '9:16 · 1080p' },
  '1920x1080': { width: 1920, height: 1080, label: '16:9 · 1080p' },
} as const;

export const PRESET_ALIASES: Record<string, keyof typeof PRESETS> = {
  '9:16-720p': '720x1280', '16:9-720p': '1280x720', '9:16-1080p': '1080x1920', '16:9-1080p': '1920x1080',
  '720p': '1280x720', '1080p': '1920x1080', vertical: '720x1280',
};

/** "1920x1080", "16:9-1080p", or any even "WxH". */
export function parsePreset(text: string): { width: number; height: number } {
  const key = (PRESET_ALIASES[text] ?? text) as string;
  const named = (PRESETS as Record<string, { width: number; height: number }>)[key];
  if (named) return { width: named.width, height: named.height };
  const m = /^(\d+)x(\d+)$/.exec(text);
  if (!m) {
    throw inputError('BAD_PRESET', `"${text}" is not an export preset`, { path: '--preset', hint: `Use one of ${Object.keys(PRESETS).join(', ')}, ${Object.keys(PRESET_ALIASES).join(', ')}, or an even WxH.` });
  }
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width % 2 || height % 2 || width < 16 || height < 16 || width > 7680 || height > 4320) {
    throw inputError('BAD_PRESET', `${text}: width and height must be even, between 16x16 and 7680x4320`, { path: '--preset' });
  }
  return { width, height };
}
