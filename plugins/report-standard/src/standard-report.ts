/**
 * The standard report as one self-contained HTML page (inline CSS, images as data: URLs), so Chromium
 * renders it offline. Every value from the document is escaped: MRZ text is hostile input.
 */
import {
  chipChecksInOrder,
  chipWasRead,
  findPrintedPortrait,
  findRecordedPortrait,
  mrzOcrRegion,
  mrzReadingDifferences,
  regionCropCss,
  type HitConfirmation,
  type InspectionReportModel,
  type InteropRecord,
  type RecordedEvidence,
  type RecordedMrzOcr,
  type ReportTemplate,
} from '@tessera/sdk';
import { reportTranslator, type ReportMessageKey } from './report-messages.js';

type Translate = ReturnType<typeof reportTranslator>;

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STATUS_COLOURS: Record<string, string> = {
  pass: '#1b7f3b',
  warning: '#a86400',
  fail: '#b3261e',
  error: '#b3261e',
  not_checked: '#5f6368',
  not_applicable: '#5f6368',
  hit: '#b3261e',
  no_hit: '#1b7f3b',
  incomplete: '#a86400',
};

/** Only image data: URLs are allowed through; anything else would let a check point Chromium elsewhere. */
function safeImageSrc(dataUrl: string): string {
  return /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]+$/.test(dataUrl) ? dataUrl : '';
}

function evidenceHtml(e: RecordedEvidence): string {
  if (e.kind === 'field') {
    const expected = e.expected !== undefined && e.ok === false ? ` <span class="muted">(expected ${escapeHtml(e.expected)})</span>` : '';
    return `<div class="ev"><span class="ev-label">${escapeHtml(e.label)}:</span> <span class="${e.ok === false ? 'bad' : ''}">${escapeHtml(e.value)}</span>${expected}</div>`;
  }
  if (e.kind === 'text') return `<div class="ev"><span class="ev-label">${escapeHtml(e.label)}:</span><pre>${escapeHtml(e.text)}</pre></div>`;
  return `<div class="ev"><span class="ev-label">${escapeHtml(e.label)}</span><br><img class="ev-img" src="${safeImageSrc(e.dataUrl)}" alt=""></div>`;
}

/** A chip check's evidence as a table — certificates, algorithms, one row per data-group hash — with a mark that reads without colour. */
function evidenceTableHtml(evidence: readonly RecordedEvidence[], t: Translate, portraitDataUrl: string | undefined): string {
  const rows = evidence
    .filter((e): e is Extract<RecordedEvidence, { kind: 'field' }> => e.kind === 'field')
    .map((e) => {
      const mark = e.ok === undefined ? '' : e.ok ? `<span class="ok">✔ ${t('evidence.ok')}</span>` : `<span class="bad">✖ ${t('evidence.notOk')}</span>`;
      const expected = e.expected !== undefined && e.ok === false ? ` <span class="muted">(expected ${escapeHtml(e.expected)})</span>` : '';
      return `<tr><th>${escapeHtml(e.label)}</th><td>${escapeHtml(e.value)}${expected}</td><td class="mark">${mark}</td></tr>`;
    })
    .join('');
  // The portrait is shown in the face comparison; other images and texts follow the table.
  const rest = evidence.filter((e) => e.kind === 'text' || (e.kind === 'image' && e.dataUrl !== portraitDataUrl)).map(evidenceHtml).join('');
  return `${rows ? `<table class="ev-table"><tbody>${rows}</tbody></table>` : ''}${rest}`;
}

/** The chip section: the printed photo beside the chip's portrait, then every chip verdict with its key evidence. */
function chipSectionHtml(model: InspectionReportModel, t: Translate): string {
  const printed = findPrintedPortrait(model.images);
  let printedHtml = `<div class="face-missing">${t('chip.printedPhoto.none')}</div>`;
  if (printed?.region && printed.image.width !== undefined && printed.image.height !== undefined) {
    const crop = regionCropCss(printed.region, { width: printed.image.width, height: printed.image.height });
    printedHtml = `<div class="face-img" style="${crop.frame}"><img src="${safeImageSrc(printed.image.dataUrl)}" style="${crop.image}" alt=""></div>`;
  } else if (printed) {
    printedHtml = `<img class="face-img" src="${safeImageSrc(printed.image.dataUrl)}" alt="">`;
  }
  const printedSource = printed?.region ? t('chip.printedPhoto.source') : t('chip.printedPhoto.wholePage');
  const portrait = findRecordedPortrait(model.checks);
  const portraitHtml = portrait ? `<img class="face-img" src="${safeImageSrc(portrait.dataUrl)}" alt="">` : `<div class="face-missing">${t('chip.portrait.none')}</div>`;
  const portraitSource = portrait ? (portrait.fromChip ? t('chip.portrait.source') : escapeHtml(portrait.label)) : '';
  const rows = chipChecksInOrder(model.checks)
    .map(
      (c) => `<tr>
        <td>${escapeHtml(c.title)}<div class="muted">${escapeHtml(c.checkId)}</div></td>
        <td><span class="badge" style="background:${STATUS_COLOURS[c.status] ?? '#555'}">${t(`status.${c.status}` as ReportMessageKey)}</span></td>
        <td>${escapeHtml(c.summary)}${c.findings.map((x) => `<div class="finding"><code>${escapeHtml(x.code)}</code> ${escapeHtml(x.message)}</div>`).join('')}${evidenceTableHtml(c.evidence, t, portrait?.dataUrl)}</td>
      </tr>`,
    )
    .join('');
  return `<h2>${t('chip')}</h2>
<div class="faces">
  <figure class="face">${printedHtml}<figcaption>${t('chip.printedPhoto')}<br><span class="muted">${printedSource}</span></figcaption></figure>
  <figure class="face">${portraitHtml}<figcaption>${t('chip.portrait')}<br><span class="muted">${portraitSource}</span></figcaption></figure>
  <p class="muted face-note">${t('chip.compare')}</p>
</div>
<table class="chip-checks"><thead><tr><th>${t('check')}</th><th>${t('status')}</th><th>${t('details')}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/**
 * How the MRZ was read by OCR: the band (the engine's crop, else the page image clipped to the engine's
 * region), engine and confidence, and for an ambiguous reading a warning and every candidate with the
 * characters that differ from the reading used marked.
 */
function ocrSectionHtml(model: InspectionReportModel, ocr: RecordedMrzOcr, t: Translate): string {
  let crop = `<p class="muted">${t('ocr.crop.none')}</p>`;
  const page = model.images.find((i) => i.light === ocr.page.light && i.page === ocr.page.page);
  const region = page ? mrzOcrRegion(ocr, page) : null;
  if (ocr.cropDataUrl && safeImageSrc(ocr.cropDataUrl)) {
    crop = `<figure class="ocr-crop"><img src="${safeImageSrc(ocr.cropDataUrl)}" alt=""><figcaption>${t('ocr.crop.engine')}</figcaption></figure>`;
  } else if (page && region) {
    const css = regionCropCss(region, { width: page.width!, height: page.height! });
    crop = `<figure class="ocr-crop"><div class="ocr-frame" style="${css.frame}"><img src="${safeImageSrc(page.dataUrl)}" style="${css.image}" alt=""></div><figcaption>${t('ocr.crop.region')}</figcaption></figure>`;
  }
  const facts = `<table class="fields"><tr><th>${t('ocr.engine')}</th><td>${escapeHtml(ocr.engineId)}</td></tr>
    <tr><th>${t('ocr.confidence')}</th><td>${escapeHtml((Math.round(ocr.confidence * 1000) / 10).toFixed(1))} %</td></tr>
    <tr><th>${t('ocr.page')}</th><td>${t(`light.${ocr.page.light}` as ReportMessageKey)} — ${escapeHtml(ocr.page.page)}</td></tr></table>`;
  if (!ocr.ambiguous) return `<h3>${t('ocr')}</h3>${crop}${facts}<p class="muted">${t('ocr.unambiguous')}</p>`;
  const readings = [model.mrz?.lines ?? [], ...ocr.alternatives];
  const differences = mrzReadingDifferences(readings);
  // In the reading used, mark every position some alternative reads differently.
  const marked = (n: number, l: number, i: number) => differences[n]![l]![i] || (n === 0 && differences.slice(1).some((d) => d[l]?.[i]));
  const candidates = readings
    .map((lines, n) => {
      const text = lines.map((line, l) => [...line].map((ch, i) => (marked(n, l, i) ? `<mark>${escapeHtml(ch)}</mark>` : escapeHtml(ch))).join('')).join('<br>');
      return `<div class="candidate"><div class="muted">${n === 0 ? t('ocr.candidate.used') : `${t('ocr.candidate.other')} ${n}`}</div><div class="mrz">${text}</div></div>`;
    })
    .join('');
  return `<h3>${t('ocr')}</h3>${crop}${facts}<div class="ocr-ambiguous">⚠ ${t('ocr.ambiguous')}</div><div class="candidates">${candidates}</div>`;
}

/** A record's status in words when it is one of the SLTD statuses, else as the connector gave it. */
function recordStatus(status: string, t: Translate): string {
  return ['stolen', 'lost', 'revoked', 'invalid', 'stolen_blank'].includes(status) ? t(`record.${status}` as ReportMessageKey) : escapeHtml(status);
}

function interopRecordHtml(rec: InteropRecord, t: Translate): string {
  const rows: Array<[string, string]> = [[t('interop.record.status'), `<b class="bad">${recordStatus(rec.status, t)}</b>`]];
  if (rec.reportingCountry) rows.push([t('interop.record.reportingCountry'), escapeHtml(rec.reportingCountry)]);
  if (rec.reference) rows.push([t('interop.record.reference'), escapeHtml(rec.reference)]);
  for (const [key, value] of Object.entries(rec.details ?? {})) rows.push([escapeHtml(key), escapeHtml(value)]);
  return `<table class="ev-table">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`;
}

/** Every confirmation entry of a hit, the current (last) one first and in bold; none is itself a warning. */
function confirmationHtml(entries: HitConfirmation[], t: Translate, when: (iso: string) => string): string {
  if (!entries.length) return `<div class="confirmation none">${t('interop.confirmation')}: <b>${t('interop.confirmation.none')}</b></div>`;
  const describe = (c: HitConfirmation) =>
    `${t(`confirmation.${c.outcome}` as ReportMessageKey)} — ${t('interop.confirmation.by')} ${escapeHtml(c.officer)}, ${when(c.recordedAt)}${c.reference ? ` · ${t('interop.record.reference')}: ${escapeHtml(c.reference)}` : ''}${c.note ? ` · ${t('note')}: ${escapeHtml(c.note)}` : ''}`;
  const [current, ...earlier] = [...entries].reverse();
  return `<div class="confirmation ${current!.outcome}">${t('interop.confirmation')}: <b>${describe(current!)}</b>${
    earlier.length ? `<div class="muted">${t('interop.confirmation.earlier')}: ${earlier.map(describe).join(' | ')}</div>` : ''
  }</div>`;
}

export function createStandardReport(agencyName: string): ReportTemplate {
  return {
    id: 'standard',
    title: 'Standard inspection report',
    paper: 'A4',
    render(model: InspectionReportModel): string {
      const t = reportTranslator(model.locale);
      const dateFmt = new Intl.DateTimeFormat(model.locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });
      const when = (iso: string) => `${escapeHtml(dateFmt.format(new Date(iso)))} UTC`;
      const f = model.mrz?.fields;
      const fieldRows = f
        ? (['documentCode', 'issuingState', 'documentNumber', 'surname', 'givenNames', 'nationality', 'birthDate', 'sex', 'expiryDate', 'optionalData1'] as const)
            .map((k) => `<tr><th>${t(`field.${k}` as ReportMessageKey)}</th><td>${escapeHtml(f[k] ?? '—')}</td></tr>`)
            .join('') + `<tr><th>${t('field.format')}</th><td>${escapeHtml(model.mrz?.format ?? '—')}</td></tr>`
        : '';
      const withChip = chipWasRead(model.checks);
      // With a chip section, chip checks keep their line here but their evidence is shown once, there.
      const evidenceCell = (c: InspectionReportModel['checks'][number]) =>
        withChip && c.category === 'chip' ? `<div class="muted">${t('chip.seeSection')}</div>` : c.evidence.map(evidenceHtml).join('');
      const checkRows = model.checks
        .map(
          (c) => `<tr>
            <td>${escapeHtml(c.title)}<div class="muted">${escapeHtml(c.checkId)}</div></td>
            <td><span class="badge" style="background:${STATUS_COLOURS[c.status] ?? '#555'}">${t(`status.${c.status}` as ReportMessageKey)}</span></td>
            <td>${escapeHtml(c.summary)}${c.findings.map((x) => `<div class="finding"><code>${escapeHtml(x.code)}</code> ${escapeHtml(x.message)}</div>`).join('')}${evidenceCell(c)}</td>
          </tr>`,
        )
        .join('');
      // Hits first, as on the officer's screen: they are what must be acted on.
      const interopOrder = { hit: 0, not_checked: 1, no_hit: 2 } as const;
      const interopRows = [...model.interop]
        .sort((a, b) => interopOrder[a.outcome] - interopOrder[b.outcome])
        .map(
          (r) => `<tr class="${r.outcome === 'hit' ? 'hit' : ''}"><td>${escapeHtml(r.connectorName ?? r.connectorId)}<div class="muted">${escapeHtml(r.connectorId)}</div></td>
          <td><span class="badge" style="background:${STATUS_COLOURS[r.outcome]}">${t(`outcome.${r.outcome}` as ReportMessageKey)}</span></td>
          <td>${r.reason ? `<div>${escapeHtml(r.reason)}</div>` : ''}${r.records.map((rec) => interopRecordHtml(rec, t)).join('')}
          ${r.outcome === 'hit' ? confirmationHtml((model.hitConfirmations ?? []).filter((c) => c.connectorId === r.connectorId), t, when) : ''}
          <div class="muted">${t('interop.checkedAt')}: ${when(r.checkedAt)}${r.dataAsOf ? ` · ${t('interop.dataAsOf')}: ${when(r.dataAsOf)}` : ''}</div></td></tr>`,
        )
        .join('');
      const images = model.images
        .map((img) => `<figure><img src="${img.dataUrl}" alt=""><figcaption>${t(`light.${img.light}` as ReportMessageKey)} — ${escapeHtml(img.page)}</figcaption></figure>`)
        .join('');
      const dir = ['ar', 'fa', 'he', 'ur'].includes(model.locale.split('-')[0]!) ? 'rtl' : 'ltr';
      return `<!doctype html>
<html lang="${escapeHtml(model.locale)}" dir="${dir}">
<head><meta charset="utf-8"><title>${t('title')} ${escapeHtml(model.inspectionId)}</title>
<style>
  @page { size: A4; margin: 16mm 14mm 18mm; }
  body { font-family: 'DejaVu Sans', 'Noto Sans', Arial, sans-serif; font-size: 10pt; color: #1f1f1f; }
  header { display: flex; justify-content: space-between; align-items: flex-end; border-bottom: 2px solid #1f3b63; padding-bottom: 6px; margin-bottom: 10px; }
  header h1 { font-size: 16pt; margin: 0; color: #1f3b63; }
  .agency { font-size: 9pt; color: #555; }
  .meta { display: grid; grid-template-columns: auto 1fr auto 1fr; gap: 2px 10px; font-size: 9pt; margin-bottom: 10px; }
  .meta dt { font-weight: bold; }
  .meta dd { margin: 0; }
  .verdict { padding: 8px 12px; color: #fff; font-weight: bold; font-size: 12pt; border-radius: 4px; margin: 8px 0 12px; }
  h2 { font-size: 12pt; color: #1f3b63; border-bottom: 1px solid #ccd; margin: 14px 0 6px; page-break-after: avoid; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: start; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid #e3e3e8; }
  table.fields th { width: 35%; color: #444; font-weight: normal; }
  tr { page-break-inside: avoid; }
  .badge { display: inline-block; color: #fff; border-radius: 3px; padding: 1px 6px; font-size: 8.5pt; white-space: nowrap; }
  .muted { color: #777; font-size: 8pt; }
  .finding { margin-top: 2px; font-size: 8.5pt; }
  .ev { font-size: 8.5pt; color: #333; }
  .ev-label { color: #666; }
  .bad { color: #b3261e; font-weight: bold; }
  pre, .mrz { font-family: 'OCR-B', 'OCRB', 'DejaVu Sans Mono', monospace; font-size: 9pt; margin: 2px 0; white-space: pre; }
  /* Evidence text (certificate names, file lists) wraps; only the MRZ keeps its fixed lines. */
  .ev pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  .mrz { background: #f4f4f6; padding: 6px; letter-spacing: 0.5px; direction: ltr; unicode-bidi: embed; }
  .images { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px; }
  figure { margin: 0; page-break-inside: avoid; }
  figure img { width: 100%; border: 1px solid #ccc; }
  figcaption { font-size: 8pt; color: #555; text-align: center; }
  /* Evidence images at their own size up to the cell's width: the MRZ bands of the light checks stay legible. */
  .ev-img { display: block; max-width: 100%; height: auto; border: 1px solid #ccc; margin: 1mm 0; }
  h3 { font-size: 10.5pt; color: #1f3b63; margin: 10px 0 4px; }
  .ocr-crop { margin: 2mm 0; max-width: 150mm; }
  .ocr-crop > img, .ocr-frame { display: block; width: 100%; border: 1px solid #ccc; }
  .ocr-frame img { border: 0; }
  .ocr-crop figcaption { text-align: start; }
  .ocr-ambiguous { border: 2px solid #a86400; background: #fff4e0; color: #5a3600; font-weight: bold; padding: 2mm 3mm; margin: 2mm 0; }
  .candidates { display: flex; flex-direction: column; gap: 2mm; }
  mark { background: #ffd54f; outline: 1px solid #a86400; }
  tr.hit td { background: #fdecea; }
  .confirmation { margin-top: 2mm; padding: 1.5mm 2mm; border: 1px solid #ccd; background: #fff; }
  .confirmation.none, .confirmation.pending { border: 2px solid #a86400; }
  .confirmation.confirmed { border: 2px solid #b3261e; }
  .faces { display: flex; gap: 8mm; align-items: flex-start; page-break-inside: avoid; margin-bottom: 4mm; }
  .face { width: 42mm; }
  .face-img { display: block; width: 42mm; border: 1px solid #ccc; }
  .face-img img { border: 0; }
  .face-missing { width: 42mm; height: 54mm; border: 1px dashed #bbb; color: #777; font-size: 8.5pt; display: flex; align-items: center; justify-content: center; text-align: center; padding: 2mm; box-sizing: border-box; }
  .face-note { flex: 1; align-self: center; font-size: 8.5pt; }
  .ev-table { margin-top: 3px; }
  .ev-table th, .ev-table td { padding: 1px 4px; font-size: 8.5pt; border-bottom: 1px solid #eee; }
  .ev-table th { width: 32%; color: #555; font-weight: normal; }
  .ev-table td { overflow-wrap: anywhere; }
  .ev-table td.mark { width: 16mm; white-space: nowrap; }
  .ok { color: #1b7f3b; }
  footer { margin-top: 14px; font-size: 8pt; color: #666; border-top: 1px solid #ccd; padding-top: 4px; }
</style></head>
<body>
<header><div><h1>${t('title')}</h1><div class="agency">${escapeHtml(agencyName)}</div></div><div class="muted">${t('inspection')} ${escapeHtml(model.inspectionId)}</div></header>
<dl class="meta">
  <dt>${t('created')}</dt><dd>${when(model.createdAt)}</dd>
  <dt>${t('officer')}</dt><dd>${escapeHtml(model.officer)}</dd>
  <dt>${t('bcp')}</dt><dd>${escapeHtml(model.bcp ? `${model.bcp.name} (${model.bcp.code}, ${model.bcp.country})` : '—')}</dd>
  <dt>${t('device')}</dt><dd>${escapeHtml(model.device ? `${model.device.vendor} ${model.device.model} (${model.device.id})` : '—')}</dd>
</dl>
<div class="verdict" style="background:${STATUS_COLOURS[model.overall]}">${t('overall')}: ${t(`overall.${model.overall}` as ReportMessageKey)}</div>
<h2>${t('documentData')}</h2>
${f ? `<table class="fields">${fieldRows}<tr><th>${t('mrzSource')}</th><td>${t(`mrzSource.${model.mrzSource ?? 'device'}` as ReportMessageKey)}</td></tr></table><div class="mrz">${model.mrz!.lines.map(escapeHtml).join('<br>')}</div>` : `<p>${t('noMrz')}</p>`}
${model.mrzSource === 'ocr' && model.mrzOcr ? ocrSectionHtml(model, model.mrzOcr, t) : ''}
${withChip ? chipSectionHtml(model, t) : ''}
<h2>${t('checks')}</h2>
<table><thead><tr><th>${t('check')}</th><th>${t('status')}</th><th>${t('details')}</th></tr></thead><tbody>${checkRows}</tbody></table>
<h2>${t('databases')}</h2>
${model.interop.length ? `<table><tbody>${interopRows}</tbody></table>` : `<p class="muted">${t('noDatabases')}</p>`}
<h2>${t('images')}</h2>
<div class="images">${images}</div>
<footer>${t('generated')}: ${when(model.generatedAt)} · ${t('disclaimer')}</footer>
</body></html>`;
    },
  };
}
