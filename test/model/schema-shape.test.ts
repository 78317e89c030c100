/**
 * Every change of the document's shape bumps schemaVersion: the shape is
 * compared with the one committed for the current version, and a change
 * without a bump fails with what to do.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MIGRATIONS } from '../../engine/model/migrations.js';
import { LineSchema, ProjectSchema, SCHEMA_VERSION } from '../../engine/model/schema.js';
import { checkSchemaShape, committedShape, schemaShape, shapeFile } from '../support/schema-shape.js';

/** The first version whose shape is committed (earlier ones predate the snapshot). */
const FIRST_COMMITTED = 3;

describe('schema shape', () => {
  it('is the shape committed for the current schemaVersion', () => {
    // writes the shape of a new version once (never rewrites a committed one)
    if (process.env.KLAPPE_WRITE_SCHEMA_SHAPE && committedShape(SCHEMA_VERSION) === undefined)
      writeFileSync(shapeFile(SCHEMA_VERSION), schemaShape(ProjectSchema));
    const check = checkSchemaShape(ProjectSchema, SCHEMA_VERSION);
    if (!check.ok) expect.fail(check.message);
  });

  it('fails on a changed shape without a bump, saying to bump schemaVersion and add a migration', () => {
    const added = checkSchemaShape(ProjectSchema.extend({ notes: z.string().optional() }), SCHEMA_VERSION);
    expect(added.ok).toBe(false);
    expect(!added.ok && added.message).toMatch(
      new RegExp(
        `changed \\(at properties\\.notes\\) but schemaVersion is still ${SCHEMA_VERSION}: bump schemaVersion and add a migration`,
      ),
    );
    // deep inside: a new field of a line
    const deep = checkSchemaShape(
      ProjectSchema.extend({ lines: z.array(LineSchema.extend({ emotion: z.string().optional() })).default([]) }),
      SCHEMA_VERSION,
    );
    expect(!deep.ok && deep.message).toMatch(/at properties\.lines\.items\.properties\.emotion\b.*bump schemaVersion and add a migration/);
    // a field that became optional is a change too
    const looser = checkSchemaShape(ProjectSchema.extend({ name: z.string().optional() }), SCHEMA_VERSION);
    expect(!looser.ok && looser.message).toMatch(/bump schemaVersion/);
  });

  it('fails for a version with no committed shape', () => {
    const next = checkSchemaShape(ProjectSchema, SCHEMA_VERSION + 1);
    expect(!next.ok && next.message).toMatch(
      new RegExp(`no schema shape is committed for schemaVersion ${SCHEMA_VERSION + 1} .*KLAPPE_WRITE_SCHEMA_SHAPE=1`),
    );
  });

  it('has a migration from every older version and a committed shape for every version since the snapshots began', () => {
    for (let v = 1; v < SCHEMA_VERSION; v++) expect(MIGRATIONS[v], `migration from ${v}`).toBeTypeOf('function');
    for (let v = FIRST_COMMITTED; v <= SCHEMA_VERSION; v++) expect(committedShape(v), `test/model/schema-shape/v${v}.json`).toBeDefined();
  });
});
