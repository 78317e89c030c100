/**
 * The engine in Electron's utilityProcess: one StudioApi, calls in and
 * replies/events out through process.parentPort. Media reach the window
 * through media://, served by the main process from the same cache.
 * The first message from main says where secrets live: unsealed values from
 * its safeStorage vault (changes go back to main to be sealed), or `null`
 * when the OS has no keychain (the engine's 0600 file, as for the CLI).
 */
import { StudioApi } from '../engine/api/studio-api.js';
import { toWireError } from '../engine/api/wire.js';
import { RelayedSecretStore } from '../engine/secrets/relayed-secret-store.js';
import { EnvSecretStore, setSecretStore, type SecretName } from '../engine/secrets/secret-store.js';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/** Electron's utilityProcess port; under plain Node (child_process.fork, the tests) the IPC channel, same messages. */
const port: ParentPort = (process as unknown as { parentPort?: ParentPort }).parentPort ?? {
  on: (_event, listener) => {
    process.on('message', (data) => listener({ data }));
  },
  postMessage: (message) => {
    process.send?.(message);
  },
};
let api: StudioApi | undefined;

function start(secrets: Partial<Record<SecretName, string>> | null): StudioApi {
  if (secrets)
    setSecretStore(new EnvSecretStore(new RelayedSecretStore(secrets, (name, value) => port.postMessage({ secret: { name, value } }))));
  const studio = new StudioApi({ mediaUrl: (hash) => `media://cache/${hash}` });
  studio.on((event, data) => port.postMessage({ event, data }));
  return studio;
}

port.on('message', ({ data }) => {
  if (!api) {
    api = start((data as { secrets: Partial<Record<SecretName, string>> | null }).secrets);
    return;
  }
  const { id, method, params } = data as { id: number; method: string; params: unknown };
  api.call(method, params).then(
    (result) => port.postMessage({ id, ok: true, result }),
    (e: unknown) => port.postMessage({ id, ok: false, error: toWireError(e) }),
  );
});
process.on('SIGTERM', () => {
  void (api?.shutdown() ?? Promise.resolve()).finally(() => process.exit(0));
});
