/**
 * The chip section of an inspection: the face comparison (photo printed on the page beside the
 * portrait from the chip) and one line per chip verdict (access, DG1, PA, AA, CA) that opens to its
 * evidence — certificates, the data-group hash table, algorithms, reasons. Every line is a button, so
 * Tab and Enter work without a mouse.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { InspectionCheck, InspectionRecord } from '@tessera/core';
import { t } from './i18n.js';
import { sharedStyles } from './styles.js';
import { statusBadge } from './status-badge.js';
import { renderEvidenceTable } from './evidence-view.js';
import { chipChecksInOrder, findPrintedPortrait, findRecordedPortrait, regionCropCss } from '@tessera/sdk';

export class ChipPanel extends LitElement {
  static override properties = {
    record: { attribute: false },
    open: { state: true },
  };
  static override styles = [
    sharedStyles,
    css`
      .faces { display: flex; gap: 16px; flex-wrap: wrap; align-items: flex-start; }
      .faces figure { margin: 0; width: 180px; }
      .faces .face { width: 180px; border: 1px solid #ccc; border-radius: 3px; background: #f4f4f6; display: block; }
      .faces .frame img { display: block; }
      .faces img.face-whole { width: 100%; height: auto; }
      .faces .missing { width: 180px; height: 230px; display: flex; align-items: center; justify-content: center; text-align: center; padding: 8px; color: #5f6368; font-size: 0.85rem; }
      figcaption { font-size: 0.85rem; margin-top: 4px; }
      figcaption .source { display: block; color: #5f6368; font-size: 0.8rem; }
      .verdicts { margin-top: 12px; }
      .verdict-line { display: grid; grid-template-columns: 1fr auto; gap: 2px 12px; width: 100%; text-align: start; background: #fff; color: #1f1f1f; border: 0; border-bottom: 1px solid #eceef2; border-radius: 0; padding: 8px; }
      .verdict-line:hover { background: #f3f6fb; }
      .verdict-line[aria-expanded='true'] { background: #eef3fb; }
      .verdict-line .summary { grid-column: 1 / -1; font-size: 0.9rem; color: #333; }
      .verdict-evidence { background: #f7f8fa; padding: 6px 10px 10px; font-size: 0.85rem; border-bottom: 1px solid #eceef2; }
      .evidence-table { margin-top: 4px; background: #fff; }
      .evidence-table th[scope='row'] { font-weight: normal; color: #5f6368; white-space: nowrap; }
      .evidence-table td.value { overflow-wrap: anywhere; }
      .evidence-table td:last-child { white-space: nowrap; }
      .bad { color: #b3261e; font-weight: 700; } .ok { color: #1b7f3b; }
      .mrz { font-family: 'OCR-B', 'OCRB', 'DejaVu Sans Mono', monospace; background: #f4f4f6; padding: 6px 8px; white-space: pre-wrap; overflow-wrap: anywhere; direction: ltr; }
      .evidence-image img { max-width: 180px; border: 1px solid #ccc; }
    `,
  ];

  declare record: InspectionRecord | null;
  declare open: Set<string>;

  constructor() {
    super();
    this.record = null;
    this.open = new Set();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    // A new inspection opens the first chip verdict that did not pass, so its reason is on screen at once.
    if (changed.has('record')) {
      const first = chipChecksInOrder(this.record?.checks ?? []).find((c) => c.status === 'fail' || c.status === 'error' || c.status === 'warning');
      this.open = new Set(first ? [first.checkId] : []);
    }
  }

  /** Moves keyboard focus to the first verdict line (the C shortcut). */
  focusFirstVerdict(): boolean {
    const button = this.renderRoot.querySelector<HTMLButtonElement>('.verdict-line');
    button?.focus();
    button?.scrollIntoView({ block: 'nearest' });
    return Boolean(button);
  }

  private toggle(checkId: string): void {
    const next = new Set(this.open);
    if (next.has(checkId)) next.delete(checkId);
    else next.add(checkId);
    this.open = next;
  }

  private renderPrintedFace(r: InspectionRecord) {
    const printed = findPrintedPortrait(r.images);
    if (!printed) return html`<figure id="face-page"><div class="face missing">${t('face.page.none')}</div><figcaption>${t('face.page')}</figcaption></figure>`;
    const src = `/api/inspections/${encodeURIComponent(r.id)}/images/white?page=${encodeURIComponent(printed.image.page)}`;
    const alt = t('face.page');
    const body = printed.region
      ? (() => {
          const crop = regionCropCss(printed.region, printed.image);
          return html`<div class="face frame" style=${crop.frame}><img alt=${alt} src=${src} style=${crop.image}></div>`;
        })()
      : html`<img class="face face-whole" alt=${alt} src=${src}>`;
    return html`<figure id="face-page" data-cropped=${printed.region ? 'true' : 'false'}>${body}
      <figcaption>${t('face.page')}<span class="source">${printed.region ? t('face.page.source') : t('face.page.wholePage')}</span></figcaption></figure>`;
  }

  private renderChipFace(checks: readonly InspectionCheck[]) {
    const portrait = findRecordedPortrait(checks);
    if (!portrait) {
      const access = checks.find((c) => c.checkId === 'chip.access');
      return html`<figure id="face-chip"><div class="face missing">${t('face.chip.none')}${access ? html`<br>${access.summary}` : nothing}</div><figcaption>${t('face.chip')}</figcaption></figure>`;
    }
    return html`<figure id="face-chip"><img class="face" alt=${portrait.label} src=${portrait.dataUrl}>
      <figcaption>${t('face.chip')}<span class="source">${portrait.fromChip ? t('face.chip.source') : portrait.label}</span></figcaption></figure>`;
  }

  private renderVerdict(c: InspectionCheck, portraitDataUrl: string | undefined) {
    const open = this.open.has(c.checkId);
    const panelId = `chip-evidence-${c.checkId.replace(/[^a-z0-9-]/gi, '-')}`;
    return html`<button class="verdict-line" data-verdict=${c.checkId} aria-expanded=${open ? 'true' : 'false'} aria-controls=${panelId}
        @click=${() => this.toggle(c.checkId)}
        @keydown=${(e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && e.stopPropagation()}>
        <strong>${c.title}</strong>${statusBadge(c.status)}
        <span class="summary">${c.summary}</span>
      </button>
      ${open
        ? html`<div class="verdict-evidence" id=${panelId} role="region" aria-label=${t('chip.evidenceOf', { check: c.title })}>
            ${c.findings.map((f) => html`<div><code>${f.code}</code> ${f.message}</div>`)}
            ${c.evidence.length ? renderEvidenceTable(c.evidence.filter((e) => e.kind !== 'image' || e.dataUrl !== portraitDataUrl)) : html`<p class="muted">${t('chip.noEvidence')}</p>`}
          </div>`
        : nothing}`;
  }

  override render() {
    const r = this.record;
    if (!r) return nothing;
    const verdicts = chipChecksInOrder(r.checks);
    // The portrait is shown in the face comparison, not again among its check's evidence.
    const portraitDataUrl = findRecordedPortrait(r.checks)?.dataUrl;
    return html`<section class="card" id="chip-panel" aria-labelledby="chip-heading">
      <h2 id="chip-heading">${t('chip.heading')}</h2>
      <div class="faces" id="faces" role="group" aria-label=${t('face.heading')}>${this.renderPrintedFace(r)}${this.renderChipFace(r.checks)}</div>
      <p class="muted">${t('face.hint')}</p>
      <div class="verdicts" id="chip-verdicts">${verdicts.map((c) => this.renderVerdict(c, portraitDataUrl))}</div>
    </section>`;
  }
}
