/** Puts the render farm view into the Edit screen's panel slot. */
import { registerEditPanel } from '../panels.js';
import { FarmPanel } from './FarmPanel.js';

registerEditPanel({ id: 'farm', label: 'Farm', component: FarmPanel });
