/**
 * The simulator's specimen documents and their page images. Rendering a page takes tens of
 * milliseconds, so images are kept in memory once rendered and, when the plugin has a data
 * directory, on disk across restarts. Disk files are named by a hash of everything that shapes
 * the image (document content, light, width, renderer version): an edited catalogue or a new
 * renderer simply misses the cache instead of being served a stale picture.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TesseraError, type LightSource, type PageImage } from '@tessera/sdk';
import { specimenCatalogue, type SpecimenDocument } from './specimen-catalogue.js';
import { ALL_LIGHTS, DEFAULT_PAGE_WIDTH_PX, RENDERER_VERSION, pageGeometry, pageRegions, renderSpecimenPage } from './render-pages.js';

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

export interface SpecimenStoreOptions {
  /** Where rendered pages persist across restarts; null keeps them in memory only. */
  cacheDir: string | null;
  /** Date the catalogue's validity periods are placed around; default: now. */
  referenceDate?: Date;
}

export class SpecimenStore {
  private readonly documents: SpecimenDocument[];
  private readonly byId: Map<string, SpecimenDocument>;
  private readonly cacheDir: string | null;
  // Promises rather than images, so a scan arriving during warm-up waits for the render already
  // under way instead of starting a second one.
  private readonly memory = new Map<string, Promise<PageImage>>();
  private cacheDirReady: Promise<boolean> | null = null;

  constructor(options: SpecimenStoreOptions) {
    this.documents = specimenCatalogue(options.referenceDate);
    this.byId = new Map(this.documents.map((d) => [d.id, d]));
    this.cacheDir = options.cacheDir;
  }

  /** All specimens, the default one first. */
  list(): SpecimenDocument[] {
    return [...this.documents];
  }

  /** The data page of specimen `id` under each light (default: white, IR, UV), in the order asked. */
  async pages(id: string, lights: readonly LightSource[] = ALL_LIGHTS): Promise<PageImage[]> {
    const doc = this.byId.get(id);
    if (!doc) {
      throw new TesseraError('TSR_READER_NO_DOCUMENT', `The simulator has no specimen "${id}".`, {
        hint: `Known specimens: ${this.documents.map((d) => d.id).join(', ')}.`,
      });
    }
    const wanted = lights.length ? [...new Set(lights)] : [...ALL_LIGHTS];
    const bad = wanted.filter((l) => !ALL_LIGHTS.includes(l));
    if (bad.length) {
      throw new TesseraError('TSR_REQUEST_INVALID', `The simulator cannot image a page in ${bad.join(', ')} light.`, {
        hint: `Lights: ${ALL_LIGHTS.join(', ')}.`,
      });
    }
    const images = await Promise.all(wanted.map((light) => this.page(doc, light)));
    // Callers own what they get: a consumer that edits the bytes must not corrupt the cache.
    return images.map((image) => ({ ...image, data: image.data.slice() }));
  }

  /**
   * Renders every page of every specimen, one at a time so a starting host keeps its CPU for
   * other work. Failures propagate; pages that did render stay cached.
   */
  async warmUp(): Promise<void> {
    for (const doc of this.documents) {
      for (const light of ALL_LIGHTS) await this.page(doc, light);
    }
  }

  /** The file a page is cached in, or null without a cache directory. */
  cacheFile(id: string, light: LightSource): string | null {
    const doc = this.byId.get(id);
    return doc && this.cacheDir ? join(this.cacheDir, fileName(doc, light)) : null;
  }

  private page(doc: SpecimenDocument, light: LightSource): Promise<PageImage> {
    const key = `${doc.id}|${light}`;
    let pending = this.memory.get(key);
    if (!pending) {
      pending = this.load(doc, light);
      // A failed render must not stick: the next request tries again.
      pending.catch(() => this.memory.delete(key));
      this.memory.set(key, pending);
    }
    return pending;
  }

  private async load(doc: SpecimenDocument, light: LightSource): Promise<PageImage> {
    const geo = pageGeometry(doc.format, DEFAULT_PAGE_WIDTH_PX);
    const file = this.cacheDir ? join(this.cacheDir, fileName(doc, light)) : null;
    if (file) {
      const cached = await readFile(file).catch(() => null);
      if (cached && isPngOfSize(cached, geo.width, geo.height)) {
        return {
          light,
          page: 'data-page',
          mediaType: 'image/png',
          data: new Uint8Array(cached.buffer, cached.byteOffset, cached.byteLength),
          width: geo.width,
          height: geo.height,
          dpi: geo.dpi,
          regions: pageRegions(geo),
        };
      }
    }
    const image = await renderSpecimenPage(doc, light, DEFAULT_PAGE_WIDTH_PX);
    if (file) await this.persist(file, image.data);
    return image;
  }

  /**
   * Writes via a temporary file and rename, so a crash or a second host process sharing the
   * directory never leaves a half-written PNG under the final name. The disk cache is only an
   * optimisation: if it cannot be written, the page is still served from memory.
   */
  private async persist(file: string, data: Uint8Array): Promise<void> {
    if (!(await this.ensureCacheDir())) return;
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await writeFile(temp, data);
      await rename(temp, file);
    } catch {
      // Unwritable or full disk: serving from memory is the documented fallback.
    }
  }

  private ensureCacheDir(): Promise<boolean> {
    this.cacheDirReady ??= mkdir(this.cacheDir!, { recursive: true }).then(
      async () => {
        await this.pruneStale();
        return true;
      },
      () => false,
    );
    return this.cacheDirReady;
  }

  /**
   * Validity dates follow the reference date, so the catalogue's content — and every file name —
   * changes from one day to the next. Runs when the first page is written, i.e. exactly when the
   * catalogue has changed, and removes this store's page files that no current page uses.
   */
  private async pruneStale(): Promise<void> {
    const current = new Set(this.documents.flatMap((d) => ALL_LIGHTS.map((l) => fileName(d, l))));
    const names = await readdir(this.cacheDir!).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((name) => OUR_FILE.test(name) && !current.has(name))
        .map((name) => unlink(join(this.cacheDir!, name)).catch(() => undefined)),
    );
  }
}

/** Page files and abandoned temporaries written by this store; nothing else in the directory is touched. */
const OUR_FILE = /^[a-z0-9-]+-(white|ir|uv)-[0-9a-f]{16}\.png(\.\d+\.[a-z0-9]+\.tmp)?$/;

function fileName(doc: SpecimenDocument, light: LightSource): string {
  const hash = createHash('sha256')
    .update(JSON.stringify({ doc, light, width: DEFAULT_PAGE_WIDTH_PX, renderer: RENDERER_VERSION }))
    .digest('hex')
    .slice(0, 16);
  return `${doc.id}-${light}-${hash}.png`;
}

/** Signature, IHDR dimensions (bytes 16–23) and a closing IEND chunk, so a truncated or foreign file is re-rendered. */
function isPngOfSize(data: Uint8Array, width: number, height: number): boolean {
  if (data.length < 45) return false;
  for (let i = 0; i < PNG_SIGNATURE.length; i++) if (data[i] !== PNG_SIGNATURE[i]) return false;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const iend = String.fromCharCode(...data.subarray(data.length - 8, data.length - 4));
  return view.getUint32(16) === width && view.getUint32(20) === height && iend === 'IEND';
}
