/** Opens a URL in the default browser when there is a display; never fails (prints the URL instead). */
import { spawn } from 'node:child_process';

export function openBrowser(url: string, log: (line: string) => void): boolean {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    log('No display found: open the URL above in a browser.');
    return false;
  }
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => log(`Could not start ${cmd}: open the URL above in a browser.`));
    child.unref();
    return true;
  } catch {
    log(`Could not start ${cmd}: open the URL above in a browser.`);
    return false;
  }
}
