/**
 * How evidence of a check is shown: one line per item in the check list, or a two-column table where a
 * check's evidence is the point (the chip verdicts: certificate names, one row per data-group hash).
 */
import { html, nothing } from 'lit';
import type { RecordedEvidence } from '@tessera/sdk';
import { t } from './i18n.js';

/** Only image data: URLs reach an <img>; anything else would let a check point the browser elsewhere. */
export function safeImageSrc(dataUrl: string): string {
  return /^data:image\/(png|jpeg);base64,/.test(dataUrl) ? dataUrl : '';
}

function expectedNote(e: Extract<RecordedEvidence, { kind: 'field' }>) {
  return e.ok === false && e.expected !== undefined ? html` (${t('evidence.expected', { value: e.expected })})` : nothing;
}

/** Symbol and word for a field's verdict, so it reads without colour. */
function okMark(ok: boolean | undefined) {
  if (ok === undefined) return nothing;
  return html`<span class=${ok ? 'ok' : 'bad'} data-ok=${String(ok)}>${ok ? '✔' : '✖'} ${t(ok ? 'evidence.ok' : 'evidence.notOk')}</span>`;
}

export function renderEvidenceItem(e: RecordedEvidence) {
  if (e.kind === 'field') return html`<div>${e.label}: <span class=${e.ok === false ? 'bad' : ''}>${e.value}</span>${expectedNote(e)}</div>`;
  if (e.kind === 'text') return html`<div>${e.label}:<div class="mrz">${e.text}</div></div>`;
  return html`<figure class="evidence-image"><img alt=${e.label} src=${safeImageSrc(e.dataUrl)}><figcaption>${e.label}</figcaption></figure>`;
}

export function renderEvidenceTable(evidence: readonly RecordedEvidence[]) {
  const fields = evidence.filter((e): e is Extract<RecordedEvidence, { kind: 'field' }> => e.kind === 'field');
  const rest = evidence.filter((e) => e.kind !== 'field');
  return html`${fields.length
      ? html`<table class="evidence-table">
          <thead><tr><th scope="col">${t('evidence.item')}</th><th scope="col">${t('evidence.value')}</th><th scope="col">${t('evidence.verdict')}</th></tr></thead>
          <tbody>${fields.map((e) => html`<tr><th scope="row">${e.label}</th><td class="value">${e.value}${expectedNote(e)}</td><td>${okMark(e.ok)}</td></tr>`)}</tbody>
        </table>`
      : nothing}
    ${rest.map(renderEvidenceItem)}`;
}
