/** Plugin entry: contributes the infrared and ultraviolet checks. */
import { definePlugin, extensionPoints } from '@tessera/sdk';
import { irMrzMatchCheck, irMrzVisibleCheck } from './ir-checks.js';
import { uvDullPaperCheck } from './uv-check.js';

export default definePlugin({
  id: 'checks-light',
  deps: { checks: extensionPoints.checks },
  init({ checks }) {
    checks.add(irMrzVisibleCheck);
    checks.add(irMrzMatchCheck);
    checks.add(uvDullPaperCheck);
  },
});
