/** Past inspections stored on this workstation, searchable by document number or surname. */
import { LitElement, html, css } from 'lit';
import { api, ApiError } from './api-client.js';
import { formatDateTime, t } from './i18n.js';
import { sharedStyles } from './styles.js';
import { statusBadge } from './status-badge.js';
import type { MessageKey } from './i18n.js';

interface HistoryRow {
  id: string;
  createdAt: string;
  overall: string;
  documentNumber: string | null;
  surname: string | null;
  givenNames: string | null;
}

export class HistoryView extends LitElement {
  static override properties = { rows: { state: true }, query: { state: true }, error: { state: true } };
  static override styles = [sharedStyles, css`input { width: 100%; padding: 6px; margin-bottom: 8px; } tr { cursor: pointer; } tr:hover { background: #f4f6fa; }`];
  declare rows: HistoryRow[] | null;
  declare query: string;
  declare error: ApiError | null;

  constructor() {
    super();
    this.rows = null;
    this.query = '';
    this.error = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  async load(): Promise<void> {
    const q = this.query.trim().toUpperCase();
    const params = new URLSearchParams();
    if (q) params.set(/\d/.test(q) ? 'documentNumber' : 'surname', q);
    try {
      this.rows = await api<HistoryRow[]>(`/api/inspections?${params}`);
      this.error = null;
    } catch (e) {
      this.error = e as ApiError;
    }
  }

  override render() {
    return html`<section class="card"><h2>${t('history.heading')}</h2>
      <input type="search" aria-label=${t('history.search')} placeholder=${t('history.search')} .value=${this.query}
        @input=${(e: Event) => ((this.query = (e.target as HTMLInputElement).value), this.load())}>
      ${this.error ? html`<div class="error-box">${this.error.message}</div>` : ''}
      ${this.rows && !this.rows.length ? html`<p class="muted">${t('history.empty')}</p>` : ''}
      ${this.rows?.length
        ? html`<table><thead><tr><th>${t('history.when')}</th><th>${t('history.document')}</th><th>${t('history.name')}</th><th>${t('history.result')}</th></tr></thead>
          <tbody>${this.rows.map(
            (r) => html`<tr tabindex="0" data-inspection=${r.id} @click=${() => this.openRow(r.id)} @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.openRow(r.id)}>
              <td>${formatDateTime(r.createdAt)}</td><td>${r.documentNumber ?? '—'}</td><td>${[r.surname, r.givenNames].filter(Boolean).join(', ')}</td>
              <td>${statusBadge(r.overall, `result.overall.${r.overall}` as MessageKey)}</td></tr>`,
          )}</tbody></table>`
        : ''}
    </section>`;
  }

  private openRow(id: string): void {
    this.dispatchEvent(new CustomEvent('open-inspection', { detail: { id }, bubbles: true, composed: true }));
  }
}
