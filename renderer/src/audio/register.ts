/** Puts the audio editor and the mixer into the Edit screen's panel slot. */
import { registerEditPanel } from '../panels.js';
import { AudioPanel } from './AudioPanel.js';
import { MixerPanel } from './MixerPanel.js';

registerEditPanel({ id: 'audio', label: 'Audio', component: AudioPanel });
registerEditPanel({ id: 'mixer', label: 'Mixer', component: MixerPanel });
