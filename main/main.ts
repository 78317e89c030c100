/**
 * Electron main: one secure window (contextIsolation, sandbox, no
 * nodeIntegration, strict CSP, no window.open, no navigation), the renderer
 * from app://klappe, cached media from media://, the engine in a
 * utilityProcess, every IPC message checked (sender frame + zod), and native
 * menus from the action list. Bundled to main/dist by scripts/start.mjs.
 */
import { app, BrowserWindow, ipcMain, Menu, net, protocol, safeStorage, utilityProcess, type UtilityProcess } from 'electron';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MediaStore } from '../engine/cache/media-store.js';
import { toWireError } from '../engine/api/wire.js';
import { newCspNonce, studioCsp, withCspNonce } from '../engine/host/csp.js';
import { appRoot } from '../engine/util/paths.js';
import { validateIpcCall, APP_ORIGIN } from './ipc-validate.js';
import { mediaResponse } from './media-protocol.js';
import { buildMenuTemplate } from './menu.js';
import { isSecretName, SecretVault } from './secret-vault.js';
import { EngineSupervisor } from './engine-supervisor.js';
import { engineHostEntry } from './engine-entry.js';

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: 'media', privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
]);

let engine: EngineSupervisor | undefined;
let win: BrowserWindow | undefined;

// one Klappe at a time: a second instance would be a second writer of the same projects
if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', () => {
  if (win?.isMinimized()) win.restore();
  win?.focus();
});

function startEngine(): UtilityProcess {
  // the compiled engine bundle (dist/engine) when packaged; main/engine-entry.ts
  const child = utilityProcess.fork(engineHostEntry(appRoot(), app.isPackaged), [], { serviceName: 'Klappe engine' });
  // secrets: sealed by the OS keychain when it has one (main/secret-vault.ts); the host gets them unsealed, in memory
  const vault = new SecretVault(safeStorage);
  const usable = vault.usable();
  const loaded = usable ? vault.load() : undefined;
  if (loaded?.unreadable.length) console.warn(`Klappe: could not unseal ${loaded.unreadable.join(', ')} (enter them again in Settings)`);
  child.postMessage({ secrets: loaded?.values ?? null });
  child.on('message', (m: { secret?: { name: unknown; value: unknown } }) => {
    if (!m.secret) return;
    const { name, value } = m.secret;
    if (usable && isSecretName(name) && (typeof value === 'string' || value === null)) vault.save(name, value);
  });
  return child;
}

app.whenReady().then(() => {
  const rendererDir = resolve(appRoot(), 'dist', 'renderer');
  const store = new MediaStore();
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = resolve(rendererDir, decodeURIComponent(url.pathname.slice(1)) || 'index.html');
    if (!file.startsWith(rendererDir + sep)) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(res.headers);
    if (!file.endsWith('.html') || !res.ok) return new Response(res.body, { status: res.status, headers });
    // the page's CSP with a fresh style nonce per load, the nonce in its <meta name="csp-nonce"> (engine/host/csp.ts)
    const nonce = newCspNonce();
    headers.set('Content-Security-Policy', studioCsp(nonce, { connect: ['media:'], media: ['media:'] }));
    headers.delete('Content-Length');
    return new Response(withCspNonce(await res.text(), nonce), { status: res.status, headers });
  });
  protocol.handle('media', (request) => mediaResponse(request, (hash) => store.pathFor(hash)));

  // supervised: pending calls fail with ENGINE_EXITED when it stops, and it is started again
  engine = new EngineSupervisor({
    start: startEngine,
    onMessage: (m) => {
      if (m.event) win?.webContents.send('klappe:event', m.event, m.data);
    },
    onExit: (code, restarted) =>
      console.warn(`Klappe: the engine stopped (exit ${code ?? 'signal'})${restarted ? '; restarted' : '; not restarted'}`),
  });
  ipcMain.handle('klappe:call', async (event, payload: unknown) => {
    try {
      const call = validateIpcCall(event.senderFrame, payload);
      return await engine!.call(call.method, (payload as { params?: unknown }).params ?? {});
    } catch (e) {
      return { ok: false, error: toWireError(e) };
    }
  });

  win = new BrowserWindow({
    width: 1440,
    height: 900,
    backgroundColor: '#121418',
    title: 'Klappe',
    webPreferences: {
      // the preload exposes the api transport only, through contextBridge (preload/preload.ts; docs/security.md)
      preload: join(import.meta.dirname, 'preload.cjs'), // eng-disable PRELOAD_JS_CHECK
      // a middle click opens no window (window.open is denied too)
      disableBlinkFeatures: 'Auxclick',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault();
  });
  win.webContents.session.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  win.webContents.session.setPermissionCheckHandler(() => false);
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate((name) => win?.webContents.send('klappe:menu', name))));
  void win.loadURL(`${APP_ORIGIN}/index.html`);
});

app.on('window-all-closed', () => {
  engine?.stop();
  app.quit();
});
