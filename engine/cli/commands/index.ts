/** Every `klappe` command, in the order `klappe --help` lists them. */
import type { CliCommand } from '../command.js';
import { importCommand } from './import.js';
import { infoCommand } from './info.js';
import { newCommand } from './new.js';
import { renderCommand } from './render.js';
import { serveCommand } from './serve.js';

export const COMMANDS: CliCommand[] = [newCommand, infoCommand, renderCommand, importCommand, serveCommand];
