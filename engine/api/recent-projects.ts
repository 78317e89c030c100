/** The recent-projects list on the Home screen, kept in the config folder. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';
import { configDir } from '../util/paths.js';
import type { RecentProject } from './contract.js';

const LIMIT = 20;

export class RecentProjects {
  constructor(private readonly dir = configDir()) {}

  private get file(): string {
    return join(this.dir, 'recent.json');
  }

  list(): RecentProject[] {
    if (!existsSync(this.file)) return [];
    try {
      const items = JSON.parse(readFileSync(this.file, 'utf8')) as RecentProject[];
      return items.filter((p) => existsSync(join(p.dir, 'project.klappe')));
    } catch {
      return [];
    }
  }

  touch(dir: string, name: string): void {
    const items = [{ dir, name, openedAt: new Date().toISOString() }, ...this.list().filter((p) => p.dir !== dir)].slice(0, LIMIT);
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(this.file, `${JSON.stringify(items, null, 2)}\n`);
  }
}
