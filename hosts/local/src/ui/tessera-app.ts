/** The application shell: header, navigation, keyboard shortcuts, and the plugin UI slots. */
import { LitElement, html, css } from 'lit';
import { api } from './api-client.js';
import { t } from './i18n.js';
import { sharedStyles } from './styles.js';
import type { InspectView } from './inspect-view.js';

export interface UiRegistration {
  id: string;
  slot: string;
  tagName: string;
}

type View = 'inspect' | 'history' | 'plugins';

export class TesseraApp extends LitElement {
  static contributions: UiRegistration[] = [];
  static override properties = { view: { state: true }, bcp: { state: true } };
  static override styles = [
    sharedStyles,
    css`
      header { display: flex; align-items: center; gap: 24px; background: #1f3b63; color: #fff; padding: 8px 20px; }
      header h1 { font-size: 1.2rem; margin: 0; }
      header .sub { font-size: 0.85rem; opacity: 0.85; }
      nav { display: flex; gap: 4px; margin-inline-start: auto; }
      nav button { background: transparent; border-color: transparent; }
      nav button[aria-current='page'] { background: #fff; color: #1f3b63; }
      main { padding: 16px 20px; max-width: 1400px; margin: 0 auto; }
      .shortcuts { font-size: 0.8rem; color: #5f6368; margin-top: 8px; }
    `,
  ];
  declare view: View;
  declare bcp: { code: string; name: string } | null;

  constructor() {
    super();
    this.view = 'inspect';
    this.bcp = null;
    this.onKey = this.onKey.bind(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKey);
    api<{ bcp: { code: string; name: string } | null }>('/api/host').then((h) => (this.bcp = h.bcp)).catch(() => undefined);
    this.addEventListener('open-inspection', (e) => {
      this.view = 'inspect';
      void this.updateComplete.then(() => this.inspectView?.open((e as CustomEvent<{ id: string }>).detail.id));
    });
  }

  override disconnectedCallback(): void {
    window.removeEventListener('keydown', this.onKey);
    super.disconnectedCallback();
  }

  private get inspectView(): InspectView | null {
    return this.renderRoot.querySelector('tessera-inspect-view');
  }

  private onKey(event: KeyboardEvent): void {
    const target = event.composedPath()[0] as HTMLElement | undefined;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
    const views: Record<string, View> = { '1': 'inspect', '2': 'history', '3': 'plugins' };
    if (views[event.key]) {
      this.view = views[event.key]!;
      event.preventDefault();
      return;
    }
    if (this.view === 'inspect' && this.inspectView?.handleKey(event.key)) event.preventDefault();
  }

  private slotted(slot: string) {
    return TesseraApp.contributions.filter((c) => c.slot === slot).map((c) => {
      const el = document.createElement(c.tagName);
      el.setAttribute('slot', slot);
      el.setAttribute('api-base', '/api');
      return el;
    });
  }

  override render() {
    const tab = (v: View, label: string, key: string) =>
      html`<button aria-current=${this.view === v ? 'page' : 'false'} @click=${() => (this.view = v)}>${label} <kbd>${key}</kbd></button>`;
    return html`
      <header>
        <div><h1>${t('app.title')}</h1><div class="sub">${t('app.subtitle')}${this.bcp ? ` · ${this.bcp.name} (${this.bcp.code})` : ''}</div></div>
        <nav>${tab('inspect', t('nav.inspect'), '1')}${tab('history', t('nav.history'), '2')}${tab('plugins', t('nav.plugins'), '3')}</nav>
      </header>
      <main>
        ${this.view === 'inspect'
          ? html`<tessera-inspect-view>${this.slotted('inspection-panel')}${this.slotted('device-panel')}</tessera-inspect-view>`
          : this.view === 'history'
            ? html`<tessera-history-view></tessera-history-view>`
            : html`<tessera-plugins-view>${this.slotted('settings-panel')}</tessera-plugins-view>`}
        <div class="shortcuts" id="shortcuts">${t('shortcuts.heading')}: <kbd>S</kbd> ${t('shortcuts.scan')} · <kbd>J</kbd>/<kbd>K</kbd> ${t('shortcuts.nextCheck')} ·
          <kbd>Enter</kbd> ${t('shortcuts.open')} · <kbd>R</kbd> ${t('shortcuts.report')} · <kbd>C</kbd> ${t('shortcuts.chip')} · <kbd>D</kbd> ${t('shortcuts.databases')} · <kbd>1</kbd>/<kbd>2</kbd>/<kbd>3</kbd> ${t('shortcuts.views')}</div>
      </main>`;
  }
}
