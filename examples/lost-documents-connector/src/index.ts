/** Plugin entry: registers the lost-documents connector with the file named in the configuration. */
import { coreServices, definePlugin, extensionPoints } from '@tessera/sdk';
import { LostDocumentsConnector } from './lost-documents-connector.js';

export default definePlugin({
  id: 'example.lost-documents',
  deps: { connectors: extensionPoints.connectors, config: coreServices.config },
  init({ connectors, config }) {
    connectors.add(new LostDocumentsConnector(String(config.listFile)));
  },
});
