/**
 * Issue 19 fuzzing (fast-check), bounded in the suite; `npm run fuzz` runs
 * many more cases (KLAPPE_FUZZ_RUNS). Every input is either accepted or
 * refused with a KlappeError (a clear error with a code), never a crash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { METHODS, parseCall } from '../../engine/api/contract.js';
import { parseRequest } from '../../engine/api/wire.js';
import { isKlappeError } from '../../engine/common/errors.js';
import { parseProject } from '../../engine/model/project-file.js';
import { ROOT } from '../support/env.js';
import { validateIpcCall } from '../../main/ipc-validate.js';
// the studio host's HTTP routes and audio import, over loopback (its own suites, in this file for `npm run fuzz`)
import './fuzz-http.js';

const RUNS = Number(process.env.KLAPPE_FUZZ_RUNS ?? 1000);
// The suite runs the same cases every time (a fixed seed, printed on a failure); `npm run fuzz` draws new ones.
if (!process.env.KLAPPE_FUZZ_RUNS) fc.configureGlobal({ seed: Number(process.env.KLAPPE_FUZZ_SEED ?? 19) });
const counts: Record<string, number> = {};

function clearOrAccepted(name: string, fn: () => unknown): void {
  counts[name] = (counts[name] ?? 0) + 1;
  try {
    fn();
  } catch (e) {
    if (!isKlappeError(e)) throw new Error(`${name}: not a clear error: ${(e as Error)?.stack ?? e}`, { cause: e });
    expect(e.message.length).toBeGreaterThan(0);
  }
}

/**
 * fc.assert in chunks with a turn of the event loop between them: one long synchronous run starves vitest's own
 * messages to its main process ("Timeout calling onTaskUpdate", which fails the run). Chunks get consecutive seeds
 * when the suite's seed is fixed.
 */
async function assertInChunks(property: Parameters<typeof fc.assert>[0], numRuns: number): Promise<void> {
  const CHUNK = 2000;
  const seed = fc.readConfigureGlobal().seed;
  for (let done = 0, k = 0; done < numRuns; done += CHUNK, k++) {
    fc.assert(property, { numRuns: Math.min(CHUNK, numRuns - done), ...(seed === undefined ? {} : { seed: seed + k }) });
    await new Promise((r) => setImmediate(r));
  }
}

/** Replaces the value at a random path of a JSON document. */
function mutate(doc: unknown, path: number[], value: unknown): unknown {
  if (path.length === 0 || doc === null || typeof doc !== 'object') return value;
  const keys = Object.keys(doc);
  if (!keys.length) return value;
  const k = keys[path[0]! % keys.length]!;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(doc) ? [...doc] : { ...(doc as Record<string, unknown>) };
  (copy as Record<string, unknown>)[k] = mutate((doc as Record<string, unknown>)[k], path.slice(1), value);
  return copy;
}

const projects = [
  'assets/templates/two-scenes/project.klappe',
  'test/fixtures/projects/v1-short.klappe',
  'test/fixtures/projects/v2-lines.klappe',
].map((f) => JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as unknown);

describe('fuzzing', () => {
  it('project files and migrations: mutated documents of every version', async () => {
    await assertInChunks(
      fc.property(
        fc.constantFrom(...projects),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.oneof(fc.jsonValue(), fc.constant(null), fc.constant(2 ** 53), fc.constant(-1)),
        (doc, path, value) => {
          clearOrAccepted('project file', () => parseProject(JSON.stringify(mutate(doc, path, value))));
        },
      ),
      RUNS * 3,
    );
    await assertInChunks(
      fc.property(fc.string({ maxLength: 200 }), (text) => clearOrAccepted('project text', () => parseProject(text))),
      RUNS,
    );
  });

  it('api frames: any text, any JSON', async () => {
    await assertInChunks(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => clearOrAccepted('frame', () => parseRequest(text)),
      ),
      RUNS * 2,
    );
  });

  it('every api method: random params are accepted or refused naming the field', async () => {
    const methods = Object.keys(METHODS);
    await assertInChunks(
      fc.property(
        fc.constantFrom(...methods, 'no.such', '__proto__', 'constructor'),
        fc.oneof(fc.jsonValue(), fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue())),
        (method, params) => {
          clearOrAccepted(`method ${method}`, () => parseCall(method, params));
        },
      ),
      RUNS * 5,
    );
    const frame = fc.oneof(
      fc.constant({ url: 'app://klappe/index.html', parent: null }),
      fc.record({ url: fc.oneof(fc.webUrl(), fc.string(), fc.anything()), parent: fc.oneof(fc.constant(null), fc.object()) }),
      fc.constant(null),
      fc.anything(),
    );
    await assertInChunks(
      fc.property(
        frame,
        fc.oneof(fc.anything(), fc.record({ method: fc.oneof(fc.constantFrom(...methods), fc.anything()), params: fc.anything() })),
        (f, payload) => {
          clearOrAccepted('ipc', () => validateIpcCall(f as never, payload));
        },
      ),
      RUNS * 2,
    );
    console.log(
      `fuzz cases: ${JSON.stringify({
        'project file': counts['project file'],
        'project text': counts['project text'],
        frame: counts.frame,
        methods: Object.entries(counts)
          .filter(([k]) => k.startsWith('method'))
          .reduce((n, [, v]) => n + v, 0),
        ipc: counts.ipc,
      })}`,
    );
  });
});
