/** @tessera/sdk/testing — the test host and the conformance suites for vendors and connector authors. */
export * from './start-test-host.js';
export * from './reader-driver-conformance.js';
export * from './interop-connector-conformance.js';
