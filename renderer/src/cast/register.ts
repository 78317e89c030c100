/** Puts the Cast and Set panels into the Edit screen's panel slot. */
import { registerEditPanel } from '../panels.js';
import { SetPanel } from '../set/SetPanel.js';
import { CastPanel } from './CastPanel.js';

registerEditPanel({ id: 'cast', label: 'Cast', component: CastPanel });
registerEditPanel({ id: 'set', label: 'Set', component: SetPanel });
