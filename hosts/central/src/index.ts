/** @tessera/host-central — the regional host (placeholder). */
export * from './central-host.js';
