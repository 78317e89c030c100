import { resolve } from 'node:path';
import { inputError } from '../../common/errors.js';
import { openBrowser } from '../../host/open-browser.js';
import { startStudioServer } from '../../host/studio-server.js';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { appRoot } from '../../util/paths.js';
import { stringOption, type CliCommand } from '../command.js';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'run the studio in a browser: the UI and the api on 127.0.0.1 with a random token',
  usage:
    'klappe serve [--port N] [--open] [--info-file FILE] [--project DIR] | klappe serve --api [--port N] [--project DIR] [--host ADDR]',
  details: [
    'Prints the URL (with its token) and serves until Ctrl-C. Listens on 127.0.0.1 only.',
    '--open starts the default browser when there is a display.',
    '--info-file writes {"url","port","token"} as JSON once the server listens.',
    'The UI is the Vite build in dist/renderer (npm run build:renderer).',
    '--api serves the OpenAI Videos API dialect (/v1/videos) on --port and prints its base URL on the first line,',
    '  then the studio URL (its queue shows the API jobs). --project DIR is the API project (default: api-project',
    '  in the data folder, made when missing). Keys: klappe api-keys create. --host ADDR listens on another address',
    '  than 127.0.0.1 (with a warning). docs/api.md has the details.',
  ],
  options: {
    port: { type: 'string' },
    open: { type: 'boolean', default: false },
    'info-file': { type: 'string' },
    renderer: { type: 'string' },
    project: { type: 'string' },
    api: { type: 'boolean', default: false },
    host: { type: 'string' },
    'render-scale': { type: 'string' },
  },
  async run(parsed, io) {
    if (parsed.values.api === true) return (await import('./serve-api.js')).serveApi(parsed, io);
    for (const only of ['host', 'render-scale']) {
      if (parsed.values[only] !== undefined)
        throw inputError('BAD_ARGUMENTS', `--${only} is an option of klappe serve --api`, {
          path: `--${only}`,
          hint: 'The studio alone listens on 127.0.0.1 only.',
        });
    }
    const portText = stringOption(parsed, 'port');
    const port = portText === undefined ? 0 : Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw inputError('BAD_PORT', `--port ${portText} is not a port number`, { path: '--port' });
    const server = await startStudioServer({
      port,
      rendererDir: resolve(stringOption(parsed, 'renderer') ?? resolve(appRoot(), 'dist', 'renderer')),
    });
    const project = stringOption(parsed, 'project');
    if (project) await server.api.call('project.open', { dir: project });
    const infoFile = stringOption(parsed, 'info-file');
    if (infoFile) writeFileAtomic(infoFile, JSON.stringify({ url: server.url, port: server.port, token: server.token }), 0o600); // it holds the token
    if (parsed.json) io.out(JSON.stringify({ ok: true, url: server.url, port: server.port }));
    else io.out(`Klappe studio: ${server.url}`);
    if (parsed.values.open === true) openBrowser(server.url, io.out);
    await new Promise<void>((r) => {
      if (io.signal.aborted) r();
      else io.signal.addEventListener('abort', () => r(), { once: true });
    });
    await server.close();
    io.out('Klappe studio stopped.');
    return 0;
  },
};
