/** Plugin entry: registers the national REST connector with the configured service and token. */
import { coreServices, definePlugin, extensionPoints } from '@tessera/sdk';
import { NationalRestConnector } from './national-rest-connector.js';

export default definePlugin({
  id: 'example.national-rest',
  deps: { connectors: extensionPoints.connectors, config: coreServices.config, logger: coreServices.logger },
  init({ connectors, config, logger }) {
    const token = process.env[String(config.tokenEnv)];
    if (!token) logger.warn('no token for the national document service; queries will be sent without one', { tokenEnv: config.tokenEnv });
    connectors.add(new NationalRestConnector({ baseUrl: String(config.baseUrl), timeoutMs: Number(config.timeoutMs), ...(token ? { token } : {}) }));
  },
});
