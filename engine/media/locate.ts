/**
 * Finds ffmpeg and ffprobe, in this order: FFMPEG_PATH/FFPROBE_PATH, ffmpeg-static
 * (ffprobe-static has no equivalent: skipped for ffprobe), @ffmpeg-installer/ffmpeg
 * and @ffprobe-installer/ffprobe, then PATH. Reports which one was found.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { KlappeError } from '../common/errors.js';

export type Tool = 'ffmpeg' | 'ffprobe';

export interface Located {
  tool: Tool;
  path: string;
  /** Where it came from: 'env', 'ffmpeg-static', '@ffmpeg-installer/ffmpeg', 'PATH'. */
  source: string;
}

interface Candidate {
  source: string;
  path: () => string | undefined;
}

const require = createRequire(import.meta.url);
const cache = new Map<Tool, Located>();

function candidates(tool: Tool): Candidate[] {
  const envName = tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  const list: Candidate[] = [{ source: `env ${envName}`, path: () => process.env[envName] || undefined }];
  if (tool === 'ffmpeg') {
    list.push({ source: 'ffmpeg-static', path: () => tryRequire<string | null>('ffmpeg-static') ?? undefined });
    list.push({ source: '@ffmpeg-installer/ffmpeg', path: () => tryRequire<{ path: string }>('@ffmpeg-installer/ffmpeg')?.path });
  } else {
    list.push({ source: '@ffprobe-installer/ffprobe', path: () => tryRequire<{ path: string }>('@ffprobe-installer/ffprobe')?.path });
  }
  list.push({ source: 'PATH', path: () => searchPath(tool) });
  return list;
}

export function locate(tool: Tool): Located {
  const hit = cache.get(tool);
  if (hit) return hit;
  const tried: string[] = [];
  for (const c of candidates(tool)) {
    let p: string | undefined;
    try {
      p = c.path();
    } catch {
      p = undefined;
    }
    if (p && isExecutable(p)) {
      const found = { tool, path: p, source: c.source };
      cache.set(tool, found);
      return found;
    }
    tried.push(`${c.source}${p ? ` (${p}: not executable)` : ': not found'}`);
  }
  throw new KlappeError({
    code: 'FFMPEG_NOT_FOUND',
    message: `${tool} was not found. Searched: ${tried.join('; ')}`,
    hint: `Run \`npm install\` (it brings @ffmpeg-installer), install ${tool} (apt-get install ffmpeg), or set ${tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH'}.`,
  });
}

/** Forget found paths (tests change the environment). */
export function resetLocateCache(): void {
  cache.clear();
}

function tryRequire<T>(name: string): T | undefined {
  try {
    return require(name) as T;
  } catch {
    return undefined;
  }
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return existsSync(p);
  } catch {
    return false;
  }
}

function searchPath(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, tool);
    if (isExecutable(p)) return p;
  }
  return undefined;
}
