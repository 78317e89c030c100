/** The backends Klappe knows, by id. Later backends register here. */
import { inputError } from '../common/errors.js';
import type { Backend } from './backend.js';
import { previzBackend } from './previz/previz-backend.js';
import { slateBackend } from './slate/slate-backend.js';

const backends = new Map<string, Backend>([
  [previzBackend.id, previzBackend],
  [slateBackend.id, slateBackend],
]);

/** The backend used when the user picked none and no better one is available. */
export let DEFAULT_BACKEND_ID = 'previz';

export function registerBackend(backend: Backend, opts: { makeDefault?: boolean } = {}): void {
  backends.set(backend.id, backend);
  if (opts.makeDefault) DEFAULT_BACKEND_ID = backend.id;
}

export function getBackend(id: string): Backend {
  const b = backends.get(id);
  if (!b)
    throw inputError('UNKNOWN_BACKEND', `no generation backend called "${id}"`, {
      path: '--backend',
      hint: `Known backends: ${[...backends.keys()].join(', ')}`,
    });
  return b;
}

export function listBackends(): Backend[] {
  return [...backends.values()];
}
