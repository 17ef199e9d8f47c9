/**
 * Finds plugins: sub-folders of the configured plugin folders that hold a tessera-plugin.json, and
 * installed npm packages whose package.json lists the keyword "tessera-plugin". The same plugin seen
 * twice (a workspace folder and its node_modules link) is kept once, by real path.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_FILE_NAME, TesseraError, type PluginManifest } from '@tessera/sdk';
import { readManifest } from './manifest.js';

export interface DiscoveredPlugin {
  dir: string;
  manifestPath: string;
  source: 'folder' | 'npm';
  manifest: PluginManifest | null;
  /** Set when the manifest could not be read or validated. */
  error: TesseraError | null;
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

async function readDiscovered(dir: string, source: DiscoveredPlugin['source']): Promise<DiscoveredPlugin> {
  const manifestPath = path.join(dir, MANIFEST_FILE_NAME);
  try {
    return { dir, manifestPath, source, manifest: await readManifest(manifestPath), error: null };
  } catch (error) {
    return { dir, manifestPath, source, manifest: null, error: error as TesseraError };
  }
}

/** A folder is either itself a plugin (has a manifest) or a parent of plugin folders. */
async function scanFolder(folder: string): Promise<string[]> {
  if (await exists(path.join(folder, MANIFEST_FILE_NAME))) return [folder];
  if (!(await isDirectory(folder))) return [];
  const entries = await readdir(folder, { withFileTypes: true });
  const dirs: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
    const candidate = path.join(folder, entry.name);
    if (await exists(path.join(candidate, MANIFEST_FILE_NAME))) dirs.push(candidate);
  }
  return dirs;
}

async function scanNodeModules(nodeModules: string): Promise<string[]> {
  if (!(await isDirectory(nodeModules))) return [];
  const found: string[] = [];
  const consider = async (pkgDir: string) => {
    try {
      const pkg = JSON.parse(await readFile(path.join(pkgDir, 'package.json'), 'utf8')) as { keywords?: unknown };
      if (Array.isArray(pkg.keywords) && pkg.keywords.includes('tessera-plugin') && (await exists(path.join(pkgDir, MANIFEST_FILE_NAME)))) {
        found.push(pkgDir);
      }
    } catch {
      // Not a package, or an unreadable package.json: not a plugin.
    }
  };
  for (const entry of await readdir(nodeModules, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(nodeModules, entry.name);
    if (entry.name.startsWith('@')) {
      for (const scoped of await readdir(full, { withFileTypes: true })) await consider(path.join(full, scoped.name));
    } else {
      await consider(full);
    }
  }
  return found.sort();
}

export async function discoverPlugins(options: { folders: string[]; nodeModules?: string[] }): Promise<DiscoveredPlugin[]> {
  const seen = new Set<string>();
  const result: DiscoveredPlugin[] = [];
  const add = async (dir: string, source: DiscoveredPlugin['source']) => {
    const real = await realpath(dir).catch(() => dir);
    if (seen.has(real)) return;
    seen.add(real);
    result.push(await readDiscovered(real, source));
  };
  for (const folder of options.folders) for (const dir of await scanFolder(path.resolve(folder))) await add(dir, 'folder');
  for (const nm of options.nodeModules ?? []) for (const dir of await scanNodeModules(path.resolve(nm))) await add(dir, 'npm');
  return result;
}
