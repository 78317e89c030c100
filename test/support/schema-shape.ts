/**
 * The project schema's shape, committed once per schemaVersion
 * (test/model/schema-shape/vN.json), and the check that the shape did not
 * change without a bump: zod strips unknown keys, so a field added without a
 * new version is silently dropped by every older build that saves the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ROOT } from './env.js';

export const SHAPES_DIR = join(ROOT, 'test', 'model', 'schema-shape');

export function shapeFile(version: number, dir = SHAPES_DIR): string {
  return join(dir, `v${version}.json`);
}

/** The schema as JSON Schema (zod 4), keys sorted, two-space indented, one final newline. */
export function schemaShape(schema: z.ZodType): string {
  return `${JSON.stringify(sortKeys(z.toJSONSchema(schema)), null, 2)}\n`;
}

/** The committed shape of a version, if there is one. */
export function committedShape(version: number, dir = SHAPES_DIR): string | undefined {
  const file = shapeFile(version, dir);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

export type ShapeCheck = { ok: true } | { ok: false; message: string };

/** Compares a schema's shape with the one committed for `version`. */
export function checkSchemaShape(
  schema: z.ZodType,
  version: number,
  committed: (version: number) => string | undefined = committedShape,
): ShapeCheck {
  const shape = schemaShape(schema);
  const before = committed(version);
  const file = `test/model/schema-shape/v${version}.json`;
  if (before === undefined) {
    return {
      ok: false,
      message:
        `no schema shape is committed for schemaVersion ${version} (${file}). If the shape changed: bump schemaVersion and add a migration ` +
        `(engine/model/migrations.ts); then write the new version's shape with KLAPPE_WRITE_SCHEMA_SHAPE=1 npx vitest run test/model/schema-shape.test.ts and commit it.`,
    };
  }
  if (before === shape) return { ok: true };
  const where = firstDifference(JSON.parse(before), JSON.parse(shape), '');
  return {
    ok: false,
    message:
      `the project schema's shape changed (at ${where || '(root)'}) but schemaVersion is still ${version}: bump schemaVersion and add a migration ` +
      `from ${version} (engine/model/migrations.ts, SCHEMA_VERSION in engine/model/schema.ts), with a fixture in test/fixtures/projects; ` +
      `a committed shape (${file}) is never rewritten.`,
  };
}

function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return path;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of [...keys].sort()) {
    const d = firstDifference(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      Array.isArray(a) ? `${path}[${k}]` : `${path}${path ? '.' : ''}${k}`,
    );
    if (d !== undefined) return d;
  }
  return undefined;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}
