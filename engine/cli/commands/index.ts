/** Every `klappe` command, in the order `klappe --help` lists them. */
import type { CliCommand } from '../command.js';
import { captionsCommand } from './captions.js';
import { importCommand } from './import.js';
import { lineCommand } from './line.js';
import { infoCommand } from './info.js';
import { newCommand } from './new.js';
import { renderCommand } from './render.js';

export const COMMANDS: CliCommand[] = [newCommand, infoCommand, renderCommand, importCommand, captionsCommand, lineCommand];
