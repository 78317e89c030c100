/** The /v1 videos API over a studio host on an empty project, with one API key and the official `openai` SDK client. */
import { join } from 'node:path';
import OpenAI from 'openai';
import { closeDatabases } from '../../engine/cache/database.js';
import { startStudioServer, type StudioServer } from '../../engine/host/studio-server.js';
import { ApiKeyStore } from '../../engine/host/videos-api/api-keys.js';
import { startVideosApi, type VideosApiServer } from '../../engine/host/videos-api/server.js';
import { createProjectFromTemplate } from '../../engine/model/templates.js';

export interface TestVideosApi {
  studio: StudioServer;
  videos: VideosApiServer;
  keys: ApiKeyStore;
  key: string;
  client: OpenAI;
  close: () => Promise<void>;
}

/** Everything lives under `dir`; small renders (render scale 0.25) and a rate limit no test reaches. */
export async function startTestVideosApi(dir: string): Promise<TestVideosApi> {
  const keys = new ApiKeyStore(join(dir, 'api-keys.json'));
  const key = keys.create('test').key;
  const projectDir = join(dir, 'api-project');
  createProjectFromTemplate(projectDir, 'empty', 'Videos API');
  const studio = await startStudioServer({ port: 0, rendererDir: join(dir, 'no-ui') });
  const videos = await startVideosApi({
    api: studio.api,
    projectDir,
    keys,
    renderScale: 0.25,
    dbFile: join(dir, 'videos.db'),
    rateLimit: { perMinute: 60_000, burst: 5000 },
  });
  const client = new OpenAI({ apiKey: key, baseURL: videos.baseUrl, maxRetries: 0 });
  const close = async () => {
    await videos.close();
    await studio.close();
    closeDatabases();
  };
  return { studio, videos, keys, key, client, close };
}
