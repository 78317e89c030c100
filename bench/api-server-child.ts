/**
 * Child of the api benchmark: serves either the Klappe videos API (one
 * completed video) or a bare node:http server answering that video's JSON,
 * and prints `{"port", "path", "key"}` on its first line.
 */
import { createServer } from 'node:http';
import { join } from 'node:path';
import { startStudioServer } from '../engine/host/studio-server.js';
import { ApiKeyStore } from '../engine/host/videos-api/api-keys.js';
import { startVideosApi } from '../engine/host/videos-api/server.js';
import { createProjectFromTemplate } from '../engine/model/templates.js';

const [mode, dir] = process.argv.slice(2) as [string, string];
process.on('SIGINT', () => process.exit(0));
if (mode === 'bare') {
  const body = process.argv[4]!;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    const port = (server.address() as { port: number }).port;
    process.stdout.write(`${JSON.stringify({ port, path: '/v1/videos/x', key: '' })}\n`);
  });
} else {
  const keys = new ApiKeyStore(join(dir, 'api-keys.json'));
  const { key } = keys.create('bench');
  const projectDir = join(dir, 'api-project');
  createProjectFromTemplate(projectDir, 'empty', 'Videos API bench');
  const studio = await startStudioServer({ port: 0, rendererDir: join(dir, 'no-ui') });
  const api = await startVideosApi({
    api: studio.api,
    projectDir,
    keys,
    renderScale: 0.25,
    dbFile: join(dir, 'videos.db'),
    rateLimit: { perMinute: 1e9, burst: 1e9 },
  });
  const v = await api.service.create({ prompt: 'a ball', model: 'klappe-slate', seconds: '4', size: '1280x720' });
  while (api.service.retrieve(v.id).status !== 'completed') await new Promise((r) => setTimeout(r, 200));
  process.stdout.write(
    `${JSON.stringify({ port: api.port, path: `/v1/videos/${v.id}`, key, body: JSON.stringify(api.service.retrieve(v.id)) })}\n`,
  );
}
