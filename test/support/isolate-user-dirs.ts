/**
 * Every test file gets its own data and config folders, so no test reads or
 * writes the real ~/.config/klappe or ~/.local/share/klappe (signing identity,
 * keys, media cache, job database). Child processes inherit them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = mkdtempSync(join(tmpdir(), 'klappe-user-'));
process.env.KLAPPE_DATA_DIR ??= join(root, 'data');
process.env.KLAPPE_CONFIG_DIR ??= join(root, 'config');
