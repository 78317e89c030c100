/**
 * Export sizes users pick by name; any even WxH works too. Browser-safe (the
 * studio's export dialog lists these through the api contract).
 */
import { inputError } from './errors.js';

export const EXPORT_PRESETS = {
  '16:9-720p': { width: 1280, height: 720, label: '16:9 · 720p' },
  '16:9-1080p': { width: 1920, height: 1080, label: '16:9 · 1080p' },
  '9:16-720p': { width: 720, height: 1280, label: '9:16 · 720p' },
  '9:16-1080p': { width: 1080, height: 1920, label: '9:16 · 1080p' },
} as const;
export type ExportPresetId = keyof typeof EXPORT_PRESETS;

/** Other names for the presets on the command line. */
export const PRESET_ALIASES: Record<string, ExportPresetId> = {
  '1280x720': '16:9-720p',
  '1920x1080': '16:9-1080p',
  '720x1280': '9:16-720p',
  '1080x1920': '9:16-1080p',
  '720p': '16:9-720p',
  '1080p': '16:9-1080p',
  vertical: '9:16-720p',
};

/** "16:9-1080p", "1920x1080", "1080p", or any even "WxH". */
export function parsePreset(text: string): { width: number; height: number } {
  const named = (EXPORT_PRESETS as Record<string, { width: number; height: number }>)[PRESET_ALIASES[text] ?? text];
  if (named) return { width: named.width, height: named.height };
  const m = /^(\d+)x(\d+)$/.exec(text);
  if (!m) {
    throw inputError('BAD_PRESET', `"${text}" is not an export preset`, {
      path: '--preset',
      hint: `Use one of ${Object.keys(EXPORT_PRESETS).join(', ')}, ${Object.keys(PRESET_ALIASES).join(', ')}, or an even WxH.`,
    });
  }
  const width = Number(m[1]);
  const height = Number(m[2]);
  if (width % 2 || height % 2 || width < 16 || height < 16 || width > 7680 || height > 4320) {
    throw inputError('BAD_PRESET', `${text}: width and height must be even, between 16x16 and 7680x4320`, { path: '--preset' });
  }
  return { width, height };
}
