/** Puts the audio editor, the mixer and the dialogue lines into the Edit screen's panel slot. */
import { registerEditPanel } from '../panels.js';
import { AudioPanel } from './AudioPanel.js';
import { LinePanel } from './LinePanel.js';
import { MixerPanel } from './MixerPanel.js';

registerEditPanel({ id: 'audio', label: 'Audio', component: AudioPanel });
registerEditPanel({ id: 'mixer', label: 'Mixer', component: MixerPanel });
registerEditPanel({ id: 'lines', label: 'Lines', component: LinePanel });
