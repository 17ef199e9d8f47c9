// A third-party connector proven the way a vendor would: the SDK's conformance suite, then the plugin
// loaded from its folder into a test host next to the built-in simulator.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { interopConnectorConformance, startTestHost } from '@tessera/sdk/testing';
import { LostDocumentsConnector } from './lost-documents-connector.js';

const LIST = fileURLToPath(new URL('../sample-list.json', import.meta.url));
const PLUGIN_DIR = fileURLToPath(new URL('..', import.meta.url));

interopConnectorConformance({
  name: 'example lost-documents list',
  create: () => new LostDocumentsConnector(LIST),
  createUnreachable: () => new LostDocumentsConnector('/nonexistent/list.json'),
  knownHit: { documentNumber: 'L898902C3', issuingState: 'UTO', documentType: 'P' },
  knownMiss: { documentNumber: 'X00000000', issuingState: 'UTO', documentType: 'P' },
}).run();

test('loaded from its folder, the connector is queried in every inspection; a missing listFile setting fails the plugin', async () => {
  const host = await startTestHost({ pluginFolders: [PLUGIN_DIR], config: { plugins: { config: { 'example.lost-documents': { listFile: LIST } } } } });
  assert.is(host.plugin('example.lost-documents').state, 'started');
  assert.equal(host.kernel.registry.list('connectors').map((c) => c.item.id), ['example.lost-documents']);
  await host.stop();

  const unconfigured = await startTestHost({ pluginFolders: [PLUGIN_DIR] });
  const status = unconfigured.plugin('example.lost-documents');
  assert.is(status.error?.code, 'TSR_PLUGIN_CONFIG_INVALID');
  assert.match(status.error!.message, /listFile/);
  await unconfigured.stop();
});

test.run();
