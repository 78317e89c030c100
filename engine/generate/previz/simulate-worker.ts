/** Worker-thread entry for the previz physics (simulate.ts simulateScene): the simulation off the host's event loop. */
export { simulateHere } from './simulate.js';
