/** A status as a coloured label with a symbol and a word, so it reads without colour. */
import { html } from 'lit';
import { t, type MessageKey } from './i18n.js';

const SYMBOL: Record<string, string> = { pass: '✔', no_hit: '✔', warning: '!', incomplete: '…', fail: '✖', error: '✖', hit: '✖', not_checked: '?', not_applicable: '–' };

export function statusBadge(status: string, labelKey?: MessageKey) {
  return html`<span class="status ${status}" data-status=${status}>${SYMBOL[status] ?? ''} ${t(labelKey ?? (`status.${status}` as MessageKey))}</span>`;
}
