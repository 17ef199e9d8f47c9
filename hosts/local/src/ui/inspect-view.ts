/**
 * The inspection view: device panel with its settings and the scan button, then the result — overall
 * verdict, the chip section (faces and verdicts) when a chip was read, one line per check with a
 * click-through to its evidence, the document (with how OCR read its MRZ), the database results with
 * their retry and hit-confirmation steps, page images, report.
 */
import { LitElement, html, nothing } from 'lit';
import type { InspectionRecord, DeviceListing, InspectionCheck } from '@tessera/core';
import { chipWasRead, type DeviceSetting } from '@tessera/sdk';
import { api, ApiError } from './api-client.js';
import { formatDateTime, t, type MessageKey } from './i18n.js';
import { sharedStyles } from './styles.js';
import { statusBadge } from './status-badge.js';
import { renderEvidenceItem } from './evidence-view.js';
import type { ChipPanel } from './chip-panel.js';
import type { InteropPanel } from './interop-panel.js';
import { css } from 'lit';

export class InspectView extends LitElement {
  static override properties = {
    listing: { state: true },
    deviceId: { state: true },
    settings: { state: true },
    record: { state: true },
    busy: { state: true },
    error: { state: true },
    focused: { state: true },
    expanded: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      .layout { display: grid; grid-template-columns: minmax(260px, 320px) 1fr; gap: 12px; }
      .device-row { display: flex; flex-direction: column; gap: 8px; }
      label { display: flex; flex-direction: column; gap: 2px; font-size: 0.9rem; }
      .scan { font-size: 1.1rem; padding: 10px; }
      .verdict { font-size: 1.15rem; font-weight: 700; padding: 10px 14px; border-radius: 6px; color: #fff; display: flex; justify-content: space-between; align-items: center; }
      .verdict.pass { background: #1b7f3b; } .verdict.warning, .verdict.incomplete { background: #a86400; } .verdict.fail { background: #b3261e; }
      .verdict a.report { color: #1f3b63; }
      .check { display: grid; grid-template-columns: 1fr auto; gap: 4px 12px; padding: 8px; border-bottom: 1px solid #eceef2; cursor: pointer; }
      .check[aria-current='true'] { background: #eef3fb; outline: 2px solid #1f3b63; }
      .check .summary { grid-column: 1 / -1; font-size: 0.9rem; color: #333; }
      .evidence { grid-column: 1 / -1; background: #f7f8fa; padding: 6px 10px; font-size: 0.85rem; }
      .evidence .bad { color: #b3261e; font-weight: 700; }
      /* Evidence images at their own size up to the line's width: the light checks' MRZ bands must stay readable. */
      .evidence-image { margin: 6px 0; } .evidence-image img { display: block; max-width: min(100%, 880px); height: auto; border: 1px solid #ccc; background: #fff; }
      .evidence-image figcaption { text-align: start; }
      .ocr-warning { border: 2px solid #a86400; background: #fff4e0; color: #5a3600; font-weight: 700; padding: 8px 14px; border-radius: 6px; margin-top: 6px; }
      .mrz { font-family: 'OCR-B', 'OCRB', 'DejaVu Sans Mono', monospace; background: #f4f4f6; padding: 6px 8px; white-space: pre; direction: ltr; overflow-x: auto; }
      .fields { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; font-size: 0.9rem; }
      .fields dt { color: #5f6368; } .fields dd { margin: 0; font-weight: 600; }
      .images { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; }
      .images figure { margin: 0; } .images img { width: 100%; border: 1px solid #ccc; border-radius: 3px; }
      figcaption { text-align: center; font-size: 0.8rem; color: #5f6368; }
      .report { background: #fff; color: #1f3b63; padding: 6px 12px; border-radius: 4px; text-decoration: none; font-weight: 600; font-size: 0.95rem; }
    `,
  ];

  declare listing: DeviceListing | null;
  declare deviceId: string;
  declare settings: DeviceSetting[];
  declare record: InspectionRecord | null;
  declare busy: boolean;
  declare error: ApiError | null;
  declare focused: number;
  declare expanded: Set<string>;

  constructor() {
    super();
    this.listing = null;
    this.deviceId = '';
    this.settings = [];
    this.record = null;
    this.busy = false;
    this.error = null;
    this.focused = -1;
    this.expanded = new Set();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refreshDevices();
  }

  async refreshDevices(): Promise<void> {
    try {
      this.listing = await api<DeviceListing>('/api/devices');
      if (!this.listing.devices.some((d) => d.id === this.deviceId)) this.deviceId = this.listing.devices[0]?.id ?? '';
      await this.loadSettings();
    } catch (e) {
      this.error = e as ApiError;
    }
  }

  private async loadSettings(): Promise<void> {
    this.settings = this.deviceId ? await api<DeviceSetting[]>(`/api/devices/${encodeURIComponent(this.deviceId)}/settings`) : [];
  }

  /** A scan waits for a setting change still in flight, so it never captures the previous document. */
  private pendingSetting: Promise<void> = Promise.resolve();

  private changeSetting(setting: string, value: string): Promise<void> {
    this.pendingSetting = this.applySetting(setting, value);
    return this.pendingSetting;
  }

  private async applySetting(setting: string, value: string): Promise<void> {
    try {
      this.settings = await api<DeviceSetting[]>(`/api/devices/${encodeURIComponent(this.deviceId)}/settings/${encodeURIComponent(setting)}`, {
        method: 'PUT',
        body: JSON.stringify({ value }),
      });
    } catch (e) {
      this.error = e as ApiError;
    }
  }

  async scan(): Promise<void> {
    if (!this.deviceId || this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      await this.pendingSetting;
      this.record = await api<InspectionRecord>('/api/inspections', { method: 'POST', body: JSON.stringify({ deviceId: this.deviceId }) });
      this.focused = this.record.checks.findIndex((c) => c.status !== 'pass' && c.status !== 'not_applicable');
      this.expanded = new Set(this.focused >= 0 ? [this.record.checks[this.focused]!.checkId] : []);
      this.dispatchEvent(new CustomEvent('inspection-stored', { bubbles: true, composed: true }));
    } catch (e) {
      this.error = e as ApiError;
    } finally {
      this.busy = false;
    }
  }

  async open(id: string): Promise<void> {
    this.error = null;
    try {
      this.record = await api<InspectionRecord>(`/api/inspections/${encodeURIComponent(id)}`);
      this.focused = -1;
      this.expanded = new Set();
    } catch (e) {
      this.error = e as ApiError;
    }
  }

  /** Keyboard handling, called by the app shell for keys not typed into a field. */
  handleKey(key: string): boolean {
    const checks = this.record?.checks ?? [];
    if (key === 's') return void this.scan(), true;
    if ((key === 'j' || key === 'ArrowDown') && checks.length) return (this.focused = Math.min(checks.length - 1, this.focused + 1)), this.scrollToFocused(), true;
    if ((key === 'k' || key === 'ArrowUp') && checks.length) return (this.focused = Math.max(0, this.focused - 1)), this.scrollToFocused(), true;
    if (key === 'Enter' && checks[this.focused]) return this.toggle(checks[this.focused]!.checkId), true;
    if (key === 'r' && this.record) return (this.renderRoot.querySelector<HTMLAnchorElement>('a.report')?.click(), true);
    if (key === 'c' && this.record) return this.renderRoot.querySelector<ChipPanel>('tessera-chip-panel')?.focusFirstVerdict() ?? false;
    if (key === 'd' && this.record) return this.renderRoot.querySelector<InteropPanel>('tessera-interop-panel')?.focusFirstAction() ?? false;
    return false;
  }

  private scrollToFocused(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector('.check[aria-current="true"]')?.scrollIntoView({ block: 'nearest' }));
  }

  private toggle(checkId: string): void {
    const next = new Set(this.expanded);
    if (next.has(checkId)) next.delete(checkId);
    else next.add(checkId);
    this.expanded = next;
  }

  private renderDevicePanel() {
    const devices = this.listing?.devices ?? [];
    return html`<section class="card device-row" aria-labelledby="device-heading">
      <h2 id="device-heading">${t('device.heading')}</h2>
      ${this.listing && !devices.length ? html`<p class="muted">${t('device.none')}</p>` : nothing}
      ${this.listing?.driverErrors.map((e) => html`<div class="error-box" role="alert"><code>${e.driverId}</code> ${e.message}</div>`)}
      ${devices.length
        ? html`<label>${t('device.select')}
            <select id="device" @change=${async (e: Event) => ((this.deviceId = (e.target as HTMLSelectElement).value), await this.loadSettings())}>
              ${devices.map((d) => html`<option value=${d.id} ?selected=${d.id === this.deviceId}>${d.vendor} ${d.model} (${d.id}) — ${t(`device.status.${d.status}` as MessageKey)}</option>`)}
            </select></label>`
        : nothing}
      ${this.settings.map(
        (s) => html`<label>${s.label}
          <select data-setting=${s.id} @change=${(e: Event) => this.changeSetting(s.id, (e.target as HTMLSelectElement).value)}>
            ${s.choices.map((c) => html`<option value=${c.value} ?selected=${c.value === s.value}>${c.label}</option>`)}
          </select></label>`,
      )}
      <button class="scan" id="scan" ?disabled=${!this.deviceId || this.busy} @click=${() => this.scan()}>${this.busy ? t('scan.running') : t('scan.button')} <kbd>S</kbd></button>
      <button class="secondary" @click=${() => this.refreshDevices()}>${t('device.refresh')}</button>
      <slot name="device-panel"></slot>
    </section>`;
  }

  private renderCheck(c: InspectionCheck, index: number) {
    const open = this.expanded.has(c.checkId);
    return html`<div class="check" role="listitem" data-check=${c.checkId} aria-current=${index === this.focused ? 'true' : 'false'} aria-expanded=${open ? 'true' : 'false'} tabindex="0"
        @click=${() => ((this.focused = index), this.toggle(c.checkId))}>
      <strong>${c.title}</strong>${statusBadge(c.status)}
      <div class="summary">${c.summary}</div>
      ${open
        ? html`<div class="evidence">
            ${c.findings.map((f) => html`<div><code>${f.code}</code> ${f.message}</div>`)}
            ${c.evidence.map(renderEvidenceItem)}
          </div>`
        : nothing}
    </div>`;
  }

  private renderResult() {
    const r = this.record;
    if (!r) return html`<section class="card"><p class="muted">${t('result.empty')}</p></section>`;
    const f = r.mrz?.fields;
    const fieldKeys = ['documentCode', 'issuingState', 'documentNumber', 'surname', 'givenNames', 'nationality', 'birthDate', 'sex', 'expiryDate'] as const;
    return html`
      <div class="verdict ${r.overall}" id="verdict" data-overall=${r.overall} role="status">
        <span>${t(`result.overall.${r.overall}` as MessageKey)}</span>
        <a class="report" id="report" href="/api/inspections/${r.id}/report.pdf" download>${t('result.report')} <kbd>R</kbd></a>
      </div>
      ${r.mrzSource === 'ocr' && r.mrzOcr?.ambiguous ? html`<div class="ocr-warning" role="alert" id="ocr-warning">⚠ ${t('ocr.ambiguous', { count: r.mrzOcr.alternatives.length })}</div>` : nothing}
      <p class="muted">${formatDateTime(r.createdAt)} · ${t(`result.mrzSource.${r.mrzSource}` as MessageKey)}${r.timings.total !== undefined ? ` · ${t('result.took', { ms: Math.round(r.timings.total) })}` : ''} · ${r.id}</p>
      <!-- Database results come first: a hit is what the officer must act on before anything else. -->
      <tessera-interop-panel .record=${r} @inspection-updated=${(e: CustomEvent<InspectionRecord>) => (this.record = e.detail)}></tessera-interop-panel>
      ${chipWasRead(r.checks) ? html`<tessera-chip-panel .record=${r}></tessera-chip-panel>` : nothing}
      <section class="card"><h2>${t('result.checks')}</h2><div role="list" id="checks">${r.checks.map((c, i) => this.renderCheck(c, i))}</div></section>
      <section class="card"><h2>${t('result.document')}</h2>
        <tessera-ocr-reading .record=${r}></tessera-ocr-reading>
        ${f
          ? html`<dl class="fields">${fieldKeys.map((k) => html`<dt>${t(`field.${k}` as MessageKey)}</dt><dd data-field=${k}>${f[k] ?? '—'}</dd>`)}<dt>${t('field.format')}</dt><dd>${r.mrz?.format}</dd></dl>
              <div class="mrz" id="mrz">${r.mrz!.lines.join('\n')}</div>`
          : html`<p>${t('result.noMrz')}</p>`}
      </section>
      <section class="card"><h2>${t('result.images')}</h2>
        <div class="images">${r.images.map(
          (img) => html`<figure><img alt=${t(`light.${img.light}` as MessageKey)} src="/api/inspections/${r.id}/images/${img.light}?page=${encodeURIComponent(img.page)}"><figcaption>${t(`light.${img.light}` as MessageKey)}</figcaption></figure>`,
        )}</div>
      </section>
      <slot name="inspection-panel"></slot>`;
  }

  override render() {
    return html`
      ${this.error
        ? html`<div class="error-box" role="alert" id="error"><strong>${this.error.code === 'NETWORK' ? t('error.network') : this.error.message}</strong>
            ${this.error.hint ? html`<div>${this.error.hint}</div>` : nothing}<code>${this.error.code}</code></div>`
        : nothing}
      <div class="layout">${this.renderDevicePanel()}<div>${this.renderResult()}</div></div>`;
  }
}
