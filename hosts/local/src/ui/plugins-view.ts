/** Every plugin with its state; a failed plugin shows its error code, message and what to do. */
import { LitElement, html } from 'lit';
import type { PluginStatus } from '@tessera/core';
import { api, ApiError } from './api-client.js';
import { t, type MessageKey } from './i18n.js';
import { sharedStyles } from './styles.js';

export class PluginsView extends LitElement {
  static override properties = { plugins: { state: true }, error: { state: true } };
  static override styles = [sharedStyles];
  declare plugins: PluginStatus[] | null;
  declare error: ApiError | null;

  constructor() {
    super();
    this.plugins = null;
    this.error = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    api<PluginStatus[]>('/api/plugins').then(
      (p) => (this.plugins = p),
      (e: ApiError) => (this.error = e),
    );
  }

  override render() {
    const stateBadge = (s: string) => html`<span class="status ${s === 'started' ? 'pass' : s === 'failed' ? 'fail' : 'not_checked'}">${t(`plugins.state.${s}` as MessageKey)}</span>`;
    return html`<section class="card"><h2>${t('plugins.heading')}</h2>
      ${this.error ? html`<div class="error-box">${this.error.message}</div>` : ''}
      <table><tbody>${(this.plugins ?? []).map(
        (p) => html`<tr data-plugin=${p.id}><td><strong>${p.displayName ?? p.id}</strong><div class="muted">${p.id} ${p.version ?? ''} · ${p.source}</div></td>
          <td>${stateBadge(p.state)}</td>
          <td>${p.error ? html`<code>${p.error.code}</code> ${p.error.message}${p.error.hint ? html`<div class="muted">${p.error.hint}</div>` : ''}` : p.description ?? ''}</td></tr>`,
      )}</tbody></table></section>`;
  }
}
