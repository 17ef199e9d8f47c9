/** @tessera/host-local — the inspection workstation host. */
export * from './local-host.js';
export * from './pdf-renderer.js';
