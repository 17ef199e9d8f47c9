/** @tessera/sdk/emrtd/issuer — the test PKI that issues documents: CSCA, document signer, SOD, master list, CRL. */
import 'reflect-metadata';
export * from './issuer/index.js';
