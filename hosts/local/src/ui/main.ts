/** Browser entry: defines the custom elements (tolerating a second definition) and records plugin UI contributions. */
import { setLocale } from './i18n.js';
import { TesseraApp, type UiRegistration } from './tessera-app.js';
import { InspectView } from './inspect-view.js';
import { HistoryView } from './history-view.js';
import { PluginsView } from './plugins-view.js';
import { ChipPanel } from './chip-panel.js';
import { OcrReading } from './ocr-reading.js';
import { InteropPanel } from './interop-panel.js';

function define(name: string, ctor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, ctor);
}

export function boot(contributions: UiRegistration[]): void {
  setLocale(localStorage.getItem('tessera.locale') ?? 'en');
  TesseraApp.contributions = contributions.filter((c) => customElements.get(c.tagName));
  define('tessera-chip-panel', ChipPanel);
  define('tessera-ocr-reading', OcrReading);
  define('tessera-interop-panel', InteropPanel);
  define('tessera-inspect-view', InspectView);
  define('tessera-history-view', HistoryView);
  define('tessera-plugins-view', PluginsView);
  define('tessera-app', TesseraApp);
}
