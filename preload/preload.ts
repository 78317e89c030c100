/**
 * The preload: exposes the api transport to the renderer and nothing else
 * (no Node, no ipcRenderer). Compiled to CommonJS because sandboxed preloads
 * cannot be ES modules.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';

contextBridge.exposeInMainWorld('klappeHost', {
  call: (method: string, params: unknown) => ipcRenderer.invoke('klappe:call', { method, params }),
  onEvent(listener: (event: string, data: unknown) => void) {
    const l = (_e: IpcRendererEvent, event: string, data: unknown) => listener(event, data);
    ipcRenderer.on('klappe:event', l);
    return () => {
      ipcRenderer.removeListener('klappe:event', l);
    };
  },
  /** A dropped file's path, so the host reads it where it is (no copy through IPC). */
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  onMenuAction(listener: (name: string) => void) {
    const l = (_e: IpcRendererEvent, name: string) => listener(name);
    ipcRenderer.on('klappe:menu', l);
    return () => {
      ipcRenderer.removeListener('klappe:menu', l);
    };
  },
});
