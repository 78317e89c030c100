/** Every `klappe` command, in the order `klappe --help` lists them. */
import type { CliCommand } from '../command.js';
import { identityCommand } from './identity.js';
import { importCommand } from './import.js';
import { infoCommand } from './info.js';
import { newCommand } from './new.js';
import { renderCommand } from './render.js';
import { verifyCommand } from './verify.js';

export const COMMANDS: CliCommand[] = [newCommand, infoCommand, renderCommand, importCommand, verifyCommand, identityCommand];
