/**
 * A custom element a plugin adds to the host UI. The host bundles `module` for the browser and places
 * `<tag-name>` in the named slot; the element gets the host API base URL as its `api-base` attribute.
 */
export type UiSlot = 'inspection-panel' | 'device-panel' | 'settings-panel';

export interface UiContribution {
  /** Declared in the manifest's contributes.ui. */
  readonly id: string;
  readonly slot: UiSlot;
  /** Custom element name, must contain a hyphen. */
  readonly tagName: string;
  /** Absolute path (or file: URL) of the ES module that defines the element. */
  readonly module: string;
}
