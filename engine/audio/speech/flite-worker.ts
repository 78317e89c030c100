/** Worker-thread entry for Flite (flite-wasi.ts runFlite): speech synthesis off the host's event loop. */
export { runFliteHere } from './flite-wasi.js';
