/**
 * The database results of an inspection, one line per connector: a hit stands out with each record
 * (status, reporting country, reference, dates) and the step it opens — the hit must be confirmed with
 * the issuing country before any action, so the officer records the answer here (confirmed, not
 * confirmed, pending; reference; note). A connector that could not check says why, with a Retry button.
 * Both actions go to the host API and replace the shown inspection with the stored one.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { InspectionInteropResult, InspectionRecord } from '@tessera/core';
import { HIT_CONFIRMATION_OUTCOMES, latestHitConfirmation, type HitConfirmation, type HitConfirmationOutcome, type InteropRecord } from '@tessera/sdk';
import { api, ApiError } from './api-client.js';
import { formatAge, formatDateTime, t, type MessageKey } from './i18n.js';
import { sharedStyles } from './styles.js';
import { statusBadge } from './status-badge.js';

const KNOWN_RECORD_STATUSES = ['stolen', 'lost', 'revoked', 'invalid', 'stolen_blank'];

/** A record's status in the officer's words when it is one of the SLTD statuses, else as the connector gave it. */
function recordStatus(status: string): string {
  return KNOWN_RECORD_STATUSES.includes(status) ? t(`record.${status}` as MessageKey) : status;
}

/** Values that look like ISO dates are shown as dates in the officer's locale. */
function detailValue(value: string): string {
  return /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value))
    ? value.length === 10 ? new Intl.DateTimeFormat(document.documentElement.lang || 'en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(value)) : formatDateTime(value)
    : value;
}

/** Connector ids appear in element ids: keep them to characters that are safe there. */
const domId = (connectorId: string) => connectorId.replace(/[^a-z0-9-]/gi, '-');

export class InteropPanel extends LitElement {
  static override properties = {
    record: { attribute: false },
    retrying: { state: true },
    editing: { state: true },
    saving: { state: true },
    error: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      .line { border-bottom: 1px solid #eceef2; padding: 8px 4px; }
      .line .head { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
      .line .name { font-weight: 600; }
      .line .reason { font-size: 0.9rem; margin-top: 4px; }
      .line .meta { font-size: 0.8rem; color: #5f6368; margin-top: 2px; }
      .line.hit { border: 3px solid #b3261e; background: #fdecea; border-radius: 6px; padding: 10px 12px; margin: 6px 0; }
      .line.hit .name { font-size: 1.1rem; color: #7a1a14; }
      .line.not_checked .reason { color: #5a3600; }
      .records { margin: 6px 0; background: #fff; }
      .records th { font-weight: normal; color: #5f6368; width: 30%; }
      .records .status-word { font-weight: 700; color: #b3261e; text-transform: uppercase; }
      .must { font-weight: 600; margin: 6px 0; }
      .confirmation { background: #fff; border: 1px solid #d9dce3; border-radius: 4px; padding: 8px 10px; margin-top: 6px; }
      .confirmation .current { font-weight: 700; }
      .confirmation .current.confirmed { color: #b3261e; } .confirmation .current.not_confirmed { color: #1b7f3b; } .confirmation .current.pending { color: #a86400; }
      .confirmation .history { font-size: 0.8rem; color: #5f6368; margin: 4px 0 0; padding-inline-start: 18px; }
      form { display: grid; gap: 8px; margin-top: 8px; max-width: 560px; }
      fieldset { border: 1px solid #d9dce3; border-radius: 4px; display: flex; gap: 16px; flex-wrap: wrap; }
      fieldset label { display: inline-flex; gap: 4px; align-items: center; }
      form > label { display: flex; flex-direction: column; gap: 2px; font-size: 0.9rem; }
      textarea { font: inherit; min-height: 3.5em; }
      .actions { display: flex; gap: 8px; }
    `,
  ];
  declare record: InspectionRecord | null;
  declare retrying: Set<string>;
  declare editing: string | null;
  declare saving: boolean;
  declare error: ApiError | null;

  constructor() {
    super();
    this.record = null;
    this.retrying = new Set();
    this.editing = null;
    this.saving = false;
    this.error = null;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('record') && (changed.get('record') as InspectionRecord | null | undefined)?.id !== this.record?.id) {
      this.editing = null;
      this.error = null;
    }
  }

  /** Focus the first action of the panel: a hit's confirmation, else a Retry (the D shortcut). */
  focusFirstAction(): boolean {
    const target = this.renderRoot.querySelector<HTMLElement>('.line.hit button, .line button');
    target?.focus();
    target?.scrollIntoView({ block: 'nearest' });
    return Boolean(target);
  }

  private updated_(record: InspectionRecord): void {
    this.record = record;
    this.dispatchEvent(new CustomEvent('inspection-updated', { detail: record, bubbles: true, composed: true }));
  }

  private async retry(connectorId: string): Promise<void> {
    if (!this.record || this.retrying.has(connectorId)) return;
    this.retrying = new Set([...this.retrying, connectorId]);
    this.error = null;
    try {
      this.updated_(await api<InspectionRecord>(`/api/inspections/${encodeURIComponent(this.record.id)}/interop/${encodeURIComponent(connectorId)}/retry`, { method: 'POST' }));
    } catch (e) {
      this.error = e as ApiError;
    } finally {
      const next = new Set(this.retrying);
      next.delete(connectorId);
      this.retrying = next;
    }
  }

  private async openForm(connectorId: string): Promise<void> {
    this.editing = connectorId;
    await this.updateComplete;
    const form = this.renderRoot.querySelector(`#confirm-${domId(connectorId)}`);
    (form?.querySelector<HTMLInputElement>('input[name="outcome"]:checked') ?? form?.querySelector<HTMLInputElement>('input[name="outcome"]'))?.focus();
  }

  private async save(event: SubmitEvent, connectorId: string): Promise<void> {
    event.preventDefault();
    if (!this.record || this.saving) return;
    const data = new FormData(event.target as HTMLFormElement);
    const body = { outcome: String(data.get('outcome') ?? '') as HitConfirmationOutcome, reference: String(data.get('reference') ?? ''), note: String(data.get('note') ?? '') };
    this.saving = true;
    this.error = null;
    try {
      const record = await api<InspectionRecord>(`/api/inspections/${encodeURIComponent(this.record.id)}/interop/${encodeURIComponent(connectorId)}/confirmation`, { method: 'POST', body: JSON.stringify(body) });
      this.editing = null;
      this.updated_(record);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#confirmation-${domId(connectorId)}`)?.focus();
    } catch (e) {
      this.error = e as ApiError;
    } finally {
      this.saving = false;
    }
  }

  private renderRecord(rec: InteropRecord) {
    const rows: Array<[string, string]> = [];
    if (rec.reportingCountry) rows.push([t('interop.record.reportingCountry'), rec.reportingCountry]);
    if (rec.reference) rows.push([t('interop.record.reference'), rec.reference]);
    for (const [key, value] of Object.entries(rec.details ?? {})) rows.push([key, detailValue(value)]);
    if (rec.score !== undefined && rec.score < 1) rows.push([t('interop.record.score'), rec.score.toFixed(2)]);
    return html`<table class="records" data-record-status=${rec.status}>
      <tr><th scope="row">${t('interop.record.status')}</th><td class="status-word">${recordStatus(rec.status)}</td></tr>
      ${rows.map(([label, value]) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`)}
    </table>`;
  }

  private renderConfirmation(result: InspectionInteropResult, confirmations: HitConfirmation[]) {
    const id = domId(result.connectorId);
    const mine = confirmations.filter((c) => c.connectorId === result.connectorId);
    const current = latestHitConfirmation(confirmations, result.connectorId);
    const describe = (c: HitConfirmation) =>
      `${t('interop.confirmation.by', { outcome: t(`confirmation.${c.outcome}`), officer: c.officer, when: formatDateTime(c.recordedAt) })}${c.reference ? ` · ${t('interop.record.reference')}: ${c.reference}` : ''}${c.note ? ` · ${c.note}` : ''}`;
    return html`<div class="confirmation" id="confirmation-${id}" tabindex="-1" data-confirmation=${current?.outcome ?? 'none'}>
      <div>${t('interop.confirmation')}:
        <span class="current ${current?.outcome ?? ''}">${current ? describe(current) : t('interop.confirmation.none')}</span></div>
      ${mine.length > 1 ? html`<ul class="history" aria-label=${t('interop.confirmation.history')}>${mine.slice(0, -1).reverse().map((c) => html`<li>${describe(c)}</li>`)}</ul>` : nothing}
      ${this.editing === result.connectorId
        ? this.renderForm(result.connectorId, current)
        : html`<div class="actions" style="margin-top:6px"><button class="confirm" data-connector=${result.connectorId} @click=${() => this.openForm(result.connectorId)}>${current ? t('interop.confirmation.update') : t('interop.confirmation.record')}</button></div>`}
    </div>`;
  }

  private renderForm(connectorId: string, current: HitConfirmation | null) {
    const id = domId(connectorId);
    const initial = current?.outcome ?? 'pending';
    return html`<form id="confirm-${id}" @submit=${(e: SubmitEvent) => this.save(e, connectorId)} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.editing = null)}>
      <fieldset><legend>${t('interop.confirmation.outcome')}</legend>
        ${HIT_CONFIRMATION_OUTCOMES.map((o) => html`<label><input type="radio" name="outcome" value=${o} ?checked=${o === initial} required> ${t(`confirmation.${o}`)}</label>`)}
      </fieldset>
      <label>${t('interop.confirmation.reference')} <span class="muted">${t('interop.confirmation.referenceHint')}</span>
        <input name="reference" maxlength="200" autocomplete="off" .value=${current?.reference ?? ''}></label>
      <label>${t('interop.confirmation.note')}<textarea name="note" maxlength="2000"></textarea></label>
      <div class="actions"><button type="submit" ?disabled=${this.saving}>${t('interop.confirmation.save')}</button>
        <button type="button" class="secondary" @click=${() => (this.editing = null)}>${t('interop.confirmation.cancel')}</button></div>
    </form>`;
  }

  private renderLine(result: InspectionInteropResult, confirmations: HitConfirmation[]) {
    const name = result.connectorName ?? result.connectorId;
    const asOf = result.dataAsOf ? Date.parse(result.dataAsOf) : NaN;
    const retrying = this.retrying.has(result.connectorId);
    return html`<div class="line ${result.outcome}" role="listitem" data-connector=${result.connectorId} data-outcome=${result.outcome}>
      <div class="head">
        <span class="name">${result.outcome === 'hit' ? `⚠ ${t('interop.hitBanner', { name })}` : name}</span>${statusBadge(result.outcome, `outcome.${result.outcome}` as MessageKey)}
        ${result.outcome === 'not_checked'
          ? html`<button class="secondary retry" data-connector=${result.connectorId} ?disabled=${retrying} @click=${() => this.retry(result.connectorId)}>${retrying ? t('interop.retrying') : t('interop.retry')}</button>`
          : nothing}
      </div>
      ${result.reason ? html`<div class="reason">${result.reason}</div>` : nothing}
      ${result.outcome === 'hit'
        ? html`${result.records.map((rec) => this.renderRecord(rec))}<p class="must">${t('interop.mustConfirm')}</p>${this.renderConfirmation(result, confirmations)}`
        : nothing}
      <div class="meta">${t('interop.checkedAt')}: ${formatDateTime(result.checkedAt)}${Number.isNaN(asOf) ? nothing : html` · <span>${t('interop.dataAsOf', { date: formatDateTime(result.dataAsOf!), age: formatAge(Date.parse(result.checkedAt) - asOf) })}</span>`}
        · <code>${result.connectorId}</code></div>
    </div>`;
  }

  override render() {
    const r = this.record;
    if (!r?.interop.length) return nothing;
    // Hits first: they are what the officer must act on.
    const order = { hit: 0, not_checked: 1, no_hit: 2 } as const;
    const lines = [...r.interop].sort((a, b) => order[a.outcome] - order[b.outcome]);
    // Enter and Space act on this panel's buttons only, not also on the app's check list.
    return html`<section class="card" id="databases" aria-labelledby="databases-heading" @keydown=${(e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && e.stopPropagation()}>
      <h2 id="databases-heading">${t('result.databases')}</h2>
      ${this.error
        ? html`<div class="error-box" role="alert" id="interop-error"><strong>${this.error.message}</strong>${this.error.hint ? html`<div>${this.error.hint}</div>` : nothing}<code>${this.error.code}</code></div>`
        : nothing}
      <div role="list">${lines.map((l) => this.renderLine(l, r.hitConfirmations ?? []))}</div>
    </section>`;
  }
}
