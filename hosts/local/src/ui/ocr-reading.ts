/**
 * How an MRZ read by OCR is shown to the officer: the band as it is printed on the page (the engine's
 * crop, else the stored page cut to the engine's region with CSS — the core has no image library, and
 * the browser already has the page), the engine and its confidence, and, when the reading is
 * ambiguous, a warning and every candidate reading side by side with the differing characters marked.
 */
import { LitElement, css, html, nothing } from 'lit';
import type { InspectionRecord } from '@tessera/core';
import { mrzOcrRegion, mrzReadingDifferences, regionCropCss } from '@tessera/sdk';
import { formatNumber, t, type MessageKey } from './i18n.js';
import { sharedStyles } from './styles.js';
import { safeImageSrc } from './evidence-view.js';

export class OcrReading extends LitElement {
  static override properties = { record: { attribute: false } };
  static override styles = [
    sharedStyles,
    css`
      :host { margin-bottom: 10px; }
      /* content-box: the frame's aspect ratio must be that of the clipped area, or the border shifts a wide band's crop. */
      .crop { max-width: 720px; border: 1px solid #ccc; border-radius: 3px; background: #fff; box-sizing: content-box; }
      .crop img { display: block; }
      img.crop { width: 100%; height: auto; }
      figure { margin: 0 0 6px; }
      figcaption { font-size: 0.8rem; color: #5f6368; }
      .facts { display: flex; gap: 16px; flex-wrap: wrap; font-size: 0.9rem; margin: 4px 0; }
      .facts b { font-weight: 600; }
      .ambiguous { border: 2px solid #a86400; background: #fff4e0; color: #5a3600; font-weight: 700; padding: 8px 12px; border-radius: 4px; margin: 6px 0; }
      .candidates { display: flex; gap: 12px; flex-wrap: wrap; }
      .candidate { flex: 1 1 360px; min-width: 0; }
      .candidate h4 { margin: 4px 0; font-size: 0.85rem; }
      .mrz { font-family: 'OCR-B', 'OCRB', 'DejaVu Sans Mono', monospace; background: #f4f4f6; padding: 6px 8px; white-space: pre; direction: ltr; overflow-x: auto; }
      mark { background: #ffd54f; color: #000; outline: 1px solid #a86400; }
    `,
  ];
  declare record: InspectionRecord | null;

  constructor() {
    super();
    this.record = null;
  }

  private renderCrop(r: InspectionRecord) {
    const ocr = r.mrzOcr!;
    const alt = t('ocr.crop');
    if (ocr.cropDataUrl && safeImageSrc(ocr.cropDataUrl)) {
      return html`<figure id="ocr-crop" data-crop="engine"><img class="crop" alt=${alt} src=${safeImageSrc(ocr.cropDataUrl)}><figcaption>${t('ocr.crop.engine')}</figcaption></figure>`;
    }
    const image = r.images.find((i) => i.light === ocr.page.light && i.page === ocr.page.page);
    const region = image ? mrzOcrRegion(ocr, image) : null;
    if (!image || !region) return html`<p class="muted" id="ocr-crop" data-crop="none">${t('ocr.crop.none')}</p>`;
    const crop = regionCropCss(region, image);
    const src = `/api/inspections/${encodeURIComponent(r.id)}/images/${ocr.page.light}?page=${encodeURIComponent(ocr.page.page)}`;
    return html`<figure id="ocr-crop" data-crop="region"><div class="crop" style=${crop.frame}><img alt=${alt} src=${src} style=${crop.image}></div>
      <figcaption>${t('ocr.crop.region', { light: t(`light.${ocr.page.light}` as MessageKey) })}</figcaption></figure>`;
  }

  private renderCandidates(used: string[], alternatives: string[][]) {
    const readings = [used, ...alternatives];
    const differences = mrzReadingDifferences(readings);
    return html`<h3 class="muted">${t('ocr.candidates')}</h3>
      <div class="candidates" id="ocr-candidates">${readings.map(
        (lines, n) => html`<div class="candidate" data-candidate=${n}>
          <h4>${n === 0 ? t('ocr.candidate.used') : t('ocr.candidate.other', { n })}</h4>
          <div class="mrz">${lines.map((line, l) => html`${l ? '\n' : ''}${[...line].map((ch, i) => (differences[n]![l]![i] || (n === 0 && alternatives.some((_, a) => differences[a + 1]![l]?.[i])) ? html`<mark>${ch}</mark>` : ch))}`)}</div>
        </div>`,
      )}</div>`;
  }

  override render() {
    const r = this.record;
    const ocr = r?.mrzOcr;
    if (!r || r.mrzSource !== 'ocr' || !ocr) return nothing;
    return html`<div id="ocr-reading" data-ambiguous=${String(ocr.ambiguous)}>
      ${this.renderCrop(r)}
      <div class="facts"><span>${t('ocr.engine')}: <b id="ocr-engine">${ocr.engineId}</b></span>
        <span>${t('ocr.confidence')}: <b id="ocr-confidence">${formatNumber(Math.round(ocr.confidence * 1000) / 10)} %</b></span></div>
      ${ocr.ambiguous
        ? html`<div class="ambiguous" role="alert" id="ocr-ambiguous">⚠ ${t('ocr.ambiguous', { count: ocr.alternatives.length })}</div>${this.renderCandidates(r.mrz?.lines ?? [], ocr.alternatives)}`
        : html`<p class="muted">${t('ocr.unambiguous')}</p>`}
    </div>`;
  }
}
