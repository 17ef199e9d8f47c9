/**
 * The host's handle on the offline SLTD copy. The copy is imported by another process (`tessera sltd
 * import` / `sync`) while the workstation runs, and the store answers from what it loaded when opened,
 * so the handle looks at the copy's folder (at most every few seconds) and opens the store again when
 * the folder changed — not while an import is still building there. The store it replaces is closed a
 * little later, so a query that already holds it finishes first.
 */
import { readdirSync, statSync } from 'node:fs';
import type { OfflineSltdStore } from './offline/offline-store.js';

export interface OfflineCopyOptions {
  /** How often, at most, the folder is looked at. */
  recheckMs?: number;
  /** How long a replaced store stays open for queries that hold it. */
  closeDelayMs?: number;
  open?: (dir: string) => Promise<OfflineSltdStore>;
}

function folderStamp(dir: string): number {
  try {
    return statSync(dir).mtimeMs;
  } catch {
    return -1;
  }
}

/** An import builds its generation in a `build-*` folder and switches to it at the end (src/offline/offline-store.ts). */
function importRunning(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => name.startsWith('build-'));
  } catch {
    return false;
  }
}

export class OfflineCopy {
  private store: Promise<OfflineSltdStore> | undefined;
  private stamp = -1;
  private lastLook = 0;
  private readonly recheckMs: number;
  private readonly closeDelayMs: number;
  private readonly pendingCloses = new Set<NodeJS.Timeout>();

  constructor(
    readonly dir: string,
    private readonly options: OfflineCopyOptions = {},
  ) {
    this.recheckMs = options.recheckMs ?? 5000;
    this.closeDelayMs = options.closeDelayMs ?? 5000;
  }

  get(): Promise<OfflineSltdStore> {
    const now = Date.now();
    if (this.store && now - this.lastLook < this.recheckMs) return this.store;
    this.lastLook = now;
    if (this.store && (folderStamp(this.dir) === this.stamp || importRunning(this.dir))) return this.store;
    const previous = this.store;
    const opening = this.openStore().then((store) => {
      // Opening may itself touch the folder (creating it, tidying leftovers): note the stamp after it.
      this.stamp = folderStamp(this.dir);
      return store;
    });
    this.store = opening;
    opening.catch(() => {
      if (this.store === opening) this.store = undefined; // the next query tries again
    });
    if (previous) this.closeLater(previous);
    return opening;
  }

  async close(): Promise<void> {
    for (const timer of this.pendingCloses) clearTimeout(timer);
    this.pendingCloses.clear();
    const store = await this.store?.catch(() => undefined);
    this.store = undefined;
    await store?.close();
  }

  private async openStore(): Promise<OfflineSltdStore> {
    if (this.options.open) return this.options.open(this.dir);
    const { OfflineSltdStore } = await import('./offline/offline-store.js');
    return OfflineSltdStore.open(this.dir);
  }

  private closeLater(previous: Promise<OfflineSltdStore>): void {
    const timer = setTimeout(() => {
      this.pendingCloses.delete(timer);
      previous.then((s) => s.close()).catch(() => undefined);
    }, this.closeDelayMs);
    timer.unref();
    this.pendingCloses.add(timer);
  }
}
