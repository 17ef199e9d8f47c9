/** Plugin entry: contributes the MRZ checks. */
import { coreServices, definePlugin, extensionPoints } from '@tessera/sdk';
import { checkDigitsCheck, createExpiryCheck, stateCodesCheck } from './mrz-checks.js';

export default definePlugin({
  id: 'checks-mrz',
  deps: { checks: extensionPoints.checks, config: coreServices.config },
  init({ checks, config }) {
    checks.add(checkDigitsCheck);
    checks.add(createExpiryCheck(Number(config.expiryWarningDays ?? 90)));
    checks.add(stateCodesCheck);
  },
});
