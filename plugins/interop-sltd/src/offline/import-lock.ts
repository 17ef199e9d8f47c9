/**
 * The offline store's cross-process import lock: `tessera sltd import` may build a new generation while
 * the workstation runs, and the workstation's `open()` tidies leftover folders — it must not delete the
 * build folder of a live import. One exclusive file (`IMPORT.lock`, created with O_EXCL) names the holder:
 * pid, host, start time and a random token. It is stale when its process is gone (same host), or when
 * its heartbeat (the file's mtime, touched while the import runs) stopped long ago — which also covers
 * a pid reused by another program, and a holder on another host sharing the folder.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { sltdError } from './errors.js';

export const IMPORT_LOCK_FILE = 'IMPORT.lock';

export interface ImportLockHolder {
  pid: number;
  host: string;
  startedAt: string;
  token: string;
}

export interface ImportLockOptions {
  /** A lock whose heartbeat is older than this is stale even if its pid is alive (default 10 min). */
  staleAfterMs?: number;
  /** How often the holder touches the lock (default 15 s). */
  heartbeatMs?: number;
}

const DEFAULTS = { staleAfterMs: 10 * 60_000, heartbeatMs: 15_000 };
/** A lock file without readable content is a holder caught between create and write, unless it is this old. */
const UNREADABLE_GRACE_MS = 30_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Observed = { holder: ImportLockHolder | null; mtimeMs: number; raw: string };

function observe(file: string): Observed | null {
  try {
    const mtimeMs = statSync(file).mtimeMs;
    const raw = readFileSync(file, 'utf8');
    let holder: ImportLockHolder | null = null;
    try {
      const parsed = JSON.parse(raw) as Partial<ImportLockHolder>;
      if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.token === 'string' && typeof parsed.startedAt === 'string') holder = parsed as ImportLockHolder;
    } catch {
      // Unreadable: judged by its age below.
    }
    return { holder, mtimeMs, raw };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function isLive(seen: Observed, staleAfterMs: number, now = Date.now()): boolean {
  if (!seen.holder) return now - seen.mtimeMs < UNREADABLE_GRACE_MS;
  if (now - seen.mtimeMs >= staleAfterMs) return false;
  return seen.holder.host !== hostname() || processAlive(seen.holder.pid);
}

/** The live holder of the lock in `dir`, or null when there is none or it is stale. */
export function liveImportLock(dir: string, options: ImportLockOptions = {}): ImportLockHolder | { pid: null } | null {
  const seen = observe(path.join(dir, IMPORT_LOCK_FILE));
  if (!seen || !isLive(seen, options.staleAfterMs ?? DEFAULTS.staleAfterMs)) return null;
  return seen.holder ?? { pid: null };
}

export class ImportLock {
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(
    private readonly file: string,
    readonly holder: ImportLockHolder,
    heartbeatMs: number,
  ) {
    this.heartbeat = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(this.file, now, now);
      } catch {
        // Lost the file (removed by hand): nothing to keep alive.
      }
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  /** Take the lock in `dir`, breaking a stale one; SLTD_STORE_LOCKED when a live holder has it. */
  static acquire(dir: string, options: ImportLockOptions = {}): ImportLock {
    const file = path.join(dir, IMPORT_LOCK_FILE);
    const staleAfterMs = options.staleAfterMs ?? DEFAULTS.staleAfterMs;
    const holder: ImportLockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writeFileSync(file, JSON.stringify(holder) + '\n', { flag: 'wx' });
        return new ImportLock(file, holder, options.heartbeatMs ?? DEFAULTS.heartbeatMs);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const seen = observe(file);
      if (!seen) continue; // released meanwhile
      if (isLive(seen, staleAfterMs)) throw lockedError(dir, seen.holder);
      ImportLock.breakStale(file, seen);
    }
    throw lockedError(dir, observe(file)?.holder ?? null);
  }

  /**
   * Move the stale lock aside and remove it. Two processes may judge the same lock stale; the second
   * one's rename could then take the first one's fresh lock, so the content moved is compared with what
   * was judged, and a fresh lock moved by mistake is put back (link fails if yet another was created).
   */
  private static breakStale(file: string, judged: Observed): void {
    const aside = `${file}.stale-${randomBytes(4).toString('hex')}`;
    try {
      renameSync(file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    let moved = '';
    try {
      moved = readFileSync(aside, 'utf8');
    } catch {
      // Gone: nothing to restore.
    }
    if (moved && moved !== judged.raw) {
      try {
        linkSync(aside, file);
      } catch {
        // Someone holds a newer lock already; the acquire loop sees it.
      }
    }
    try {
      unlinkSync(aside);
    } catch {
      // Already gone.
    }
  }

  /** Give the lock up, only if it is still ours (a holder judged stale may have lost it to another). */
  release(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    const seen = observe(this.file);
    if (seen?.holder?.token === this.holder.token) {
      try {
        unlinkSync(this.file);
      } catch {
        // Already gone.
      }
    }
  }
}

function lockedError(dir: string, holder: ImportLockHolder | null): Error {
  const who = holder ? `process ${holder.pid} on ${holder.host}, since ${holder.startedAt}` : 'a process that is just starting';
  return sltdError(
    'SLTD_STORE_LOCKED',
    `Another import is running in the offline SLTD copy ${dir} (${who}).`,
    `Wait for it to finish (\`tessera sltd status\` shows the result), then try again; if that process is gone the lock is taken over automatically.`,
  );
}
