/** `klappe serve --api`: the /v1 videos API next to the studio, which shows the API project and its queue. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inputError } from '../../common/errors.js';
import { startStudioServer } from '../../host/studio-server.js';
import { isLoopback, startVideosApi } from '../../host/videos-api/server.js';
import { createProjectFromTemplate } from '../../model/templates.js';
import { appRoot, dataDir } from '../../util/paths.js';
import { stringOption, type CliIO, type Parsed } from '../command.js';

export function defaultApiProjectDir(): string {
  return join(dataDir(), 'api-project');
}

export async function serveApi(parsed: Parsed, io: CliIO): Promise<number> {
  const portText = stringOption(parsed, 'port');
  const port = portText === undefined ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw inputError('BAD_PORT', `--port ${portText} is not a port number`, { path: '--port' });
  const host = stringOption(parsed, 'host') ?? '127.0.0.1';
  if (!/^[0-9a-fA-F.:]+$|^localhost$/.test(host))
    throw inputError('BAD_HOST', `--host ${host.slice(0, 80)} is not an IP address`, {
      path: '--host',
      hint: 'Give an address such as 127.0.0.1 or 0.0.0.0.',
    });
  const scaleText = stringOption(parsed, 'render-scale');
  const renderScale = scaleText === undefined ? 1 : Number(scaleText);
  if (!(renderScale > 0 && renderScale <= 1))
    throw inputError('BAD_ARGUMENTS', `--render-scale must be a number above 0 and at most 1, not "${scaleText}"`, {
      path: '--render-scale',
    });
  const projectDir = resolve(stringOption(parsed, 'project') ?? defaultApiProjectDir());
  if (!existsSync(join(projectDir, 'project.klappe'))) {
    if (stringOption(parsed, 'project'))
      throw inputError('PROJECT_NOT_FOUND', `no project at ${join(projectDir, 'project.klappe')}`, {
        path: '--project',
        hint: 'Create one with `klappe new DIR`, or leave out --project.',
      });
    createProjectFromTemplate(projectDir, 'empty', 'Videos API');
  }
  const studio = await startStudioServer({
    port: 0,
    rendererDir: resolve(stringOption(parsed, 'renderer') ?? resolve(appRoot(), 'dist', 'renderer')),
  });
  let videos;
  try {
    videos = await startVideosApi({ api: studio.api, projectDir, port, host, renderScale, onError: (m) => io.err(m) });
  } catch (e) {
    await studio.close();
    throw e;
  }
  if (parsed.json)
    io.out(JSON.stringify({ ok: true, baseUrl: videos.baseUrl, port: videos.port, studio: studio.url, project: projectDir }));
  else {
    io.out(videos.baseUrl);
    io.out(`Klappe studio (shows the API project and its queue): ${studio.url}`);
    io.out(`API project: ${projectDir}`);
  }
  if (!isLoopback(host))
    io.err(
      `klappe: WARNING: the videos API listens on ${host}, reachable from other machines; anyone with a key can generate and download videos. Use 127.0.0.1 unless you mean it.`,
    );
  await new Promise<void>((r) => {
    if (io.signal.aborted) r();
    else io.signal.addEventListener('abort', () => r(), { once: true });
  });
  await videos.close();
  await studio.close();
  io.out('Klappe videos API stopped.');
  return 0;
}
