/**
 * The CSCA trust store from the plugin configuration, loaded once at start: master lists, CSCA
 * certificates and CRLs, by path relative to the host's data folder (absolute paths as given).
 * A file that is missing or broken does not stop the plugin: it is logged, and Passive
 * Authentication then reports 'unknown' with the reason instead of a silent pass.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@tessera/sdk';
import { TrustStore } from '../trust/index.js';
import type { TrustState } from './chip-inspection.js';

export interface TrustConfig {
  masterLists: string[];
  crls: string[];
  cscaCertificates: string[];
}

/** The host data folder: the plugin's data folder is `<data>/plugins/<id>`; '' (in-memory host) → the working directory. */
export function dataFolderOf(pluginDataDir: string): string {
  return pluginDataDir ? path.resolve(pluginDataDir, '..', '..') : process.cwd();
}

export async function loadTrustStore(config: TrustConfig, dataFolder: string, logger?: Logger): Promise<TrustState> {
  const store = new TrustStore();
  const problems: string[] = [];
  const sources: string[] = [];
  const load = async (kind: string, file: string, add: (bytes: Uint8Array, source: string) => string) => {
    if (!file) return;
    const full = path.isAbsolute(file) ? file : path.resolve(dataFolder, file);
    try {
      const bytes = new Uint8Array(await readFile(full));
      sources.push(add(bytes, file));
    } catch (e) {
      const message = `The ${kind} ${file} could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
      problems.push(message);
      logger?.warn(message, { path: full });
    }
  };
  for (const file of config.cscaCertificates ?? []) await load('CSCA certificate file', file, (b, s) => `${s}: ${store.addCertificates(b, { source: s }).added} CSCA certificate(s)`);
  for (const file of config.masterLists ?? []) await load('master list', file, (b, s) => {
    const r = store.addMasterList(b, { source: s });
    return `${s}: ${r.added} of ${r.total} CSCA certificates${r.signer ? `, signed by ${r.signer.subject}` : ''}`;
  });
  for (const file of config.crls ?? []) await load('CRL', file, (b, s) => {
    store.addCrl(b, { source: s });
    return `${s}: CRL`;
  });
  if (store.size === 0) problems.push('No CSCA certificates are loaded, so no document signer can be traced to its issuing state. Configure masterLists or cscaCertificates for the eMRTD plugin.');
  return { store, problems, sources };
}
