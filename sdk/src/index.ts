/**
 * @tessera/sdk — everything a plugin author imports, and nothing else.
 * Contracts, typed service and extension-point references, definePlugin, errors and the ICAO 9303 MRZ library.
 * The test harness and conformance suites live in the separate '@tessera/sdk/testing' entry.
 */

export * from './refs.js';
export * from './disposable.js';
export * from './errors.js';
export * from './services.js';
export * from './define-plugin.js';
export * from './plugin-manifest.js';
export * from './contracts/reader-driver.js';
export * from './contracts/chip-transport.js';
export * from './contracts/mrz-ocr-engine.js';
export * from './contracts/document-check.js';
export * from './contracts/interop-connector.js';
export * from './contracts/person-query.js';
export * from './contracts/checklist-template.js';
export * from './contracts/report-template.js';
export * from './contracts/chip-results.js';
export * from './contracts/inspection-results.js';
export * from './contracts/ui-contribution.js';
export * from './contracts/cli-command.js';
export * from './mrz/index.js';

/** The host API version plugins declare compatibility with in engines.tessera. */
export const TESSERA_API_VERSION = '0.1.0';
