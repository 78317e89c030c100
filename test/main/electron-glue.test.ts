/** What of the Electron glue runs without the Electron binary: IPC checks, the media:// Range handler, menus from the action list. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateIpcCall } from '../../main/ipc-validate.js';
import { mediaResponse } from '../../main/media-protocol.js';
import { buildMenuTemplate } from '../../main/menu.js';
import { ACTIONS, matchesShortcut, toAccelerator } from '../../engine/common/action-list.js';
import { isKlappeError } from '../../engine/common/errors.js';
import { tempDir } from '../support/env.js';

const top = { url: 'app://klappe/index.html', parent: null };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isKlappeError(e) ? `${e.code}${e.path ? `@${e.path}` : ''}` : String(e);
  }
  return undefined;
}

describe('IPC validation', () => {
  it('accepts a valid call from the studio frame', () => {
    expect(validateIpcCall(top, { method: 'project.open', params: { dir: '/tmp/x' } })).toMatchObject({
      method: 'project.open',
      params: { dir: '/tmp/x' },
    });
  });
  it('rejects other frames, sub-frames and bad params', () => {
    expect(codeOf(() => validateIpcCall({ url: 'https://evil.example/', parent: null }, { method: 'app.info' }))).toBe('IPC_SENDER');
    expect(codeOf(() => validateIpcCall({ url: 'app://klappe/x.html', parent: {} }, { method: 'app.info' }))).toBe('IPC_SENDER');
    expect(codeOf(() => validateIpcCall(null, { method: 'app.info' }))).toBe('IPC_SENDER');
    // a URL that is no text, even one whose toString cannot be called (found by npm run fuzz)
    expect(codeOf(() => validateIpcCall({ url: { toString: 0 } as never, parent: {} }, { method: 'app.info' }))).toBe('IPC_SENDER');
    expect(codeOf(() => validateIpcCall(top, { method: 'fs.readFile', params: {} }))).toBe('UNKNOWN_METHOD@method');
    expect(codeOf(() => validateIpcCall(top, { method: 'project.open', params: { dir: 3 } }))).toBe('BAD_PARAMS@params.dir');
    expect(codeOf(() => validateIpcCall(top, 'app.info'))).toBe('BAD_MESSAGE');
  });
});

describe('media:// protocol', () => {
  const t = tempDir('klappe-media-proto-');
  afterAll(t.cleanup);
  const hash = 'a'.repeat(64);
  const file = join(t.dir, hash);
  writeFileSync(file, Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(500, 1)]));
  const req = (url: string, range?: string) => ({ url, headers: new Headers(range ? { range } : {}) });

  it('serves the whole file and byte ranges with 206', async () => {
    const full = mediaResponse(req(`media://cache/${hash}`), () => file);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('video/mp4');
    const part = mediaResponse(req(`media://cache/${hash}`, 'bytes=4-11'), () => file);
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 4-11/512');
    expect(Buffer.from(await part.arrayBuffer()).toString()).toBe('ftypisom');
    expect(mediaResponse(req(`media://cache/${hash}`, 'bytes=600-'), () => file).status).toBe(416);
  });
  it('answers 404 for anything that is not a cached hash', () => {
    expect(mediaResponse(req('media://cache/../../etc/passwd'), () => file).status).toBe(404);
    expect(mediaResponse(req(`media://cache/${'b'.repeat(64)}`), (h) => join(t.dir, h)).status).toBe(404);
  });
});

describe('menus and shortcuts from one action list', () => {
  it('puts every action in its menu with the same label and accelerator', () => {
    const ran: string[] = [];
    const menus = buildMenuTemplate((n) => ran.push(n));
    const items = menus.flatMap((m) => m.submenu as Array<{ id: string; label: string; accelerator?: string; click(): void }>);
    expect(items.map((i) => i.id).sort()).toEqual(ACTIONS.map((a) => a.name).sort());
    const undo = items.find((i) => i.id === 'edit.undo')!;
    expect(undo).toMatchObject({ label: 'Undo', accelerator: 'CmdOrCtrl+Z' });
    expect(items.find((i) => i.id === 'play.toggle')!.accelerator).toBeUndefined();
    undo.click();
    expect(ran).toEqual(['edit.undo']);
    expect(toAccelerator('Mod+Shift+Z or Mod+Y')).toBe('CmdOrCtrl+Shift+Z');
  });
  it('matches key events the way the renderer sees them', () => {
    const key = (k: string, m: Partial<{ ctrlKey: boolean; shiftKey: boolean; altKey: boolean; metaKey: boolean; code: string }> = {}) => ({
      key: k,
      ctrlKey: false,
      metaKey: false,
      shiftKey: false,
      altKey: false,
      ...m,
    });
    expect(matchesShortcut('Mod+Z', key('z', { ctrlKey: true }))).toBe(true);
    expect(matchesShortcut('Mod+Z', key('Z', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(matchesShortcut('Mod+Shift+Z or Mod+Y', key('Z', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(matchesShortcut('Space', key(' '))).toBe(true);
    expect(matchesShortcut('J', key('j'))).toBe(true);
    expect(matchesShortcut('J', key('j', { ctrlKey: true }))).toBe(false);
    expect(matchesShortcut('Alt+3', key('£', { altKey: true, code: 'Digit3' }))).toBe(true);
    expect(matchesShortcut('=', key('='))).toBe(true);
  });
});
