/** Plugin entry: the standard report template. */
import { coreServices, definePlugin, extensionPoints } from '@tessera/sdk';
import { createStandardReport } from './standard-report.js';

export default definePlugin({
  id: 'report-standard',
  deps: { templates: extensionPoints.reportTemplates, config: coreServices.config },
  init({ templates, config }) {
    templates.add(createStandardReport(String(config.agencyName ?? 'Border Control Agency')));
  },
});
