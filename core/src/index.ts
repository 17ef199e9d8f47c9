/** @tessera/core — the kernel the hosts assemble. Plugins never import this; they use @tessera/sdk. */
export * from './error-codes.js';
export * from './logger.js';
export * from './manifest.js';
export * from './discovery.js';
export * from './host-config.js';
export * from './databases.js';
export * from './audit-log.js';
export * from './extension-registry.js';
export * from './plugin-host.js';
export * from './inspection-service.js';
export * from './kernel.js';
