/** Shared styles of the officer UI: high contrast, large targets, status colours that do not rely on colour alone. */
import { css } from 'lit';

export const sharedStyles = css`
  :host { display: block; box-sizing: border-box; }
  * { box-sizing: inherit; }
  button, select, input { font: inherit; }
  button { cursor: pointer; border: 1px solid #1f3b63; background: #1f3b63; color: #fff; border-radius: 4px; padding: 6px 14px; }
  button.secondary { background: #fff; color: #1f3b63; }
  button:disabled { opacity: 0.5; cursor: default; }
  button:focus-visible, select:focus-visible, input:focus-visible, [tabindex]:focus-visible { outline: 3px solid #f2a900; outline-offset: 1px; }
  .card { background: #fff; border: 1px solid #d9dce3; border-radius: 6px; padding: 12px 16px; margin-bottom: 12px; }
  h2 { font-size: 1.05rem; margin: 0 0 8px; color: #1f3b63; }
  .muted { color: #5f6368; font-size: 0.85rem; }
  .status { display: inline-flex; align-items: center; gap: 4px; font-weight: 600; border-radius: 3px; padding: 1px 8px; color: #fff; white-space: nowrap; font-size: 0.85rem; }
  .status.pass, .status.no_hit { background: #1b7f3b; }
  .status.warning, .status.incomplete { background: #a86400; }
  .status.fail, .status.error, .status.hit { background: #b3261e; }
  .status.not_checked, .status.not_applicable { background: #5f6368; }
  .error-box { border-inline-start: 4px solid #b3261e; background: #fdecea; padding: 8px 12px; margin: 8px 0; }
  .error-box code { font-size: 0.8rem; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: start; padding: 4px 8px; border-bottom: 1px solid #eceef2; vertical-align: top; }
  kbd { border: 1px solid #bbb; border-bottom-width: 2px; border-radius: 3px; padding: 0 4px; font-size: 0.8rem; background: #fafafa; color: #1f1f1f; font-family: inherit; }
`;
