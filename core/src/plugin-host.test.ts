// The loader's behaviour, above all its failure containment: every way a plugin can be broken ends
// in a visible failed state with a stable code, and the host and the other plugins carry on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, writeFile, rm, symlink } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { coreServices, definePlugin, extensionPoints, type DocumentCheck } from '@tessera/sdk';
import { startTestHost, testManifest } from '@tessera/sdk/testing';
import { createLogger } from './logger.js';
import { startKernel } from './kernel.js';

const passCheck = (id: string): DocumentCheck => ({ id, title: id, category: 'other', run: () => ({ status: 'pass', summary: 'ok', findings: [], evidence: [] }) });

function checkPlugin(id: string, extra: Partial<Parameters<typeof testManifest>[1]> = {}) {
  return {
    manifest: testManifest(id, { contributes: { checks: [`${id}.check`] }, ...extra }),
    definition: definePlugin({ id, deps: { checks: extensionPoints.checks }, init: ({ checks }) => void checks.add(passCheck(`${id}.check`)) }),
  };
}

const REPO_NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

/** A scratch folder whose plugins resolve @tessera/sdk as an installed third-party plugin would. */
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-core-test-'));
  await symlink(REPO_NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
  return dir;
}

async function writePluginFolder(parent: string, name: string, manifest: unknown, source?: string): Promise<string> {
  const dir = path.join(parent, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'tessera-plugin.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  if (source !== undefined) await writeFile(path.join(dir, 'index.ts'), source);
  return dir;
}

const GOOD_SOURCE = `import { definePlugin, extensionPoints } from '@tessera/sdk';
export default definePlugin({ id: 'good', deps: { checks: extensionPoints.checks }, init({ checks }) {
  checks.add({ id: 'good.check', title: 'Good', category: 'other', run: () => ({ status: 'pass', summary: 'ok', findings: [], evidence: [] }) });
} });`;

test('a healthy plugin is started and its contributions are registered', async () => {
  const host = await startTestHost({ plugins: [checkPlugin('alpha')] });
  assert.is(host.plugin('alpha').state, 'started');
  assert.equal(host.kernel.registry.list('checks').map((c) => c.item.id), ['alpha.check']);
  await host.stop();
  assert.is(host.kernel.plugins.status('alpha')!.state, 'stopped');
  assert.is(host.kernel.registry.list('checks').length, 0, 'stop removes contributions');
});

test('folder plugins: an invalid manifest fails with TSR_MANIFEST_INVALID and the others still start', async () => {
  const dir = await tempDir();
  try {
    await writePluginFolder(dir, 'good', testManifest('good', { contributes: { checks: ['good.check'] } }), GOOD_SOURCE);
    await writePluginFolder(dir, 'bad-schema', { id: 'bad-schema', version: '1.0.0', main: './index.ts', engines: { tessera: '^0.1.0' }, colour: 'red' });
    await writePluginFolder(dir, 'bad-json', '{ "id": "bad-json", ');
    const host = await startTestHost({ pluginFolders: [dir] });
    assert.is(host.plugin('good').state, 'started');
    const bad = host.plugin('bad-schema');
    assert.is(bad.state, 'failed');
    assert.is(bad.error!.code, 'TSR_MANIFEST_INVALID');
    assert.match(bad.error!.message, /unknown property "colour"/);
    assert.match(bad.error!.message, /lacks the required property "displayName"/);
    assert.is(host.plugin('bad-json').error!.code, 'TSR_MANIFEST_UNREADABLE');
    await host.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a main module that cannot be imported fails with TSR_PLUGIN_LOAD_FAILED; a wrong export with TSR_PLUGIN_DEFINITION_INVALID', async () => {
  const dir = await tempDir();
  try {
    await writePluginFolder(dir, 'no-main', testManifest('no-main', { main: './missing.ts' }));
    await writePluginFolder(dir, 'syntax', testManifest('syntax'), 'export default definePlugin({ id: ');
    await writePluginFolder(dir, 'no-default', testManifest('no-default'), 'export const x = 1;');
    await writePluginFolder(dir, 'other-id', testManifest('other-id'), GOOD_SOURCE);
    const host = await startTestHost({ pluginFolders: [dir] });
    assert.is(host.plugin('no-main').error!.code, 'TSR_PLUGIN_LOAD_FAILED');
    assert.is(host.plugin('syntax').error!.code, 'TSR_PLUGIN_LOAD_FAILED');
    assert.is(host.plugin('no-default').error!.code, 'TSR_PLUGIN_DEFINITION_INVALID');
    assert.is(host.plugin('other-id').error!.code, 'TSR_PLUGIN_DEFINITION_INVALID');
    assert.match(host.plugin('other-id').error!.message, /defines plugin "good" but its manifest says "other-id"/);
    await host.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('init that throws: TSR_PLUGIN_INIT_FAILED, and what it contributed before throwing is removed', async () => {
  const broken = {
    manifest: testManifest('broken', { contributes: { checks: ['broken.check'] } }),
    definition: definePlugin({
      id: 'broken',
      deps: { checks: extensionPoints.checks },
      init({ checks }) {
        checks.add(passCheck('broken.check'));
        throw new Error('device driver library missing');
      },
    }),
  };
  const host = await startTestHost({ plugins: [broken, checkPlugin('fine')] });
  const status = host.plugin('broken');
  assert.is(status.state, 'failed');
  assert.is(status.error!.code, 'TSR_PLUGIN_INIT_FAILED');
  assert.match(status.error!.message, /device driver library missing/);
  assert.equal(host.kernel.registry.list('checks').map((c) => c.item.id), ['fine.check']);
  await host.stop();
});

test('init that hangs: TSR_PLUGIN_INIT_TIMEOUT after the limit, the host goes on', async () => {
  const hanging = { manifest: testManifest('hangs'), definition: definePlugin({ id: 'hangs', deps: {}, init: () => new Promise<void>(() => undefined) }) };
  const started = Date.now();
  const host = await startTestHost({ plugins: [hanging, checkPlugin('fine')], initTimeoutMs: 150 });
  assert.ok(Date.now() - started < 3000);
  assert.is(host.plugin('hangs').error!.code, 'TSR_PLUGIN_INIT_TIMEOUT');
  assert.is(host.plugin('fine').state, 'started');
  await host.stop();
});

test('dependencies: missing → TSR_PLUGIN_DEPENDENCY_MISSING; dependents of a failed plugin fail with the cause', async () => {
  const needsMissing = checkPlugin('needs-missing', { requires: { 'not-installed': '^1.0.0' } });
  const base = { manifest: testManifest('base'), definition: definePlugin({ id: 'base', deps: {}, init: () => { throw new Error('boom'); } }) };
  const dependent = checkPlugin('dependent', { requires: { base: '^1.0.0' } });
  const transitive = checkPlugin('transitive', { requires: { dependent: '^1.0.0' } });
  const host = await startTestHost({ plugins: [transitive, dependent, base, needsMissing] });
  assert.is(host.plugin('needs-missing').error!.code, 'TSR_PLUGIN_DEPENDENCY_MISSING');
  assert.is(host.plugin('base').error!.code, 'TSR_PLUGIN_INIT_FAILED');
  const dep = host.plugin('dependent');
  assert.is(dep.error!.code, 'TSR_PLUGIN_DEPENDENCY_FAILED');
  assert.is(dep.error!.causedBy, 'base');
  assert.match(dep.error!.message, /boom/);
  assert.is(host.plugin('transitive').error!.causedBy, 'dependent');
  assert.is(host.kernel.registry.list('checks').length, 0);
  await host.stop();
});

test('dependencies: version out of range, cycles, and ordering', async () => {
  const order: string[] = [];
  const tracked = (id: string, requires: Record<string, string> = {}) => ({
    manifest: testManifest(id, { requires }),
    definition: definePlugin({
      id,
      deps: {},
      init() {
        order.push(`init:${id}`);
        return { start: () => void order.push(`start:${id}`), stop: () => void order.push(`stop:${id}`) };
      },
    }),
  });
  const host = await startTestHost({
    plugins: [
      tracked('top', { middle: '^1.0.0' }),
      tracked('middle', { bottom: '>=1.0.0' }),
      tracked('bottom'),
      tracked('too-new', { bottom: '^2.0.0' }),
      tracked('cycle-a', { 'cycle-b': '*' }),
      tracked('cycle-b', { 'cycle-a': '*' }),
    ],
  });
  assert.is(host.plugin('too-new').error!.code, 'TSR_PLUGIN_DEPENDENCY_VERSION');
  assert.is(host.plugin('cycle-a').error!.code, 'TSR_PLUGIN_DEPENDENCY_CYCLE');
  assert.is(host.plugin('cycle-b').error!.code, 'TSR_PLUGIN_DEPENDENCY_CYCLE');
  await host.stop();
  assert.equal(order, ['init:bottom', 'init:middle', 'init:top', 'start:bottom', 'start:middle', 'start:top', 'stop:top', 'stop:middle', 'stop:bottom']);
});

test('host compatibility: engines.tessera outside the API version → TSR_PLUGIN_HOST_INCOMPATIBLE', async () => {
  const future = checkPlugin('future', { engines: { tessera: '^9.0.0' } });
  const host = await startTestHost({ plugins: [future] });
  assert.is(host.plugin('future').error!.code, 'TSR_PLUGIN_HOST_INCOMPATIBLE');
  await host.stop();
});

test('contributions are checked: undeclared, duplicate and malformed ones fail the plugin', async () => {
  const undeclared = { manifest: testManifest('undeclared'), definition: definePlugin({ id: 'undeclared', deps: { checks: extensionPoints.checks }, init: ({ checks }) => void checks.add(passCheck('sneaky')) }) };
  const first = checkPlugin('first', { contributes: { checks: ['shared.check'] } });
  first.definition = definePlugin({ id: 'first', deps: { checks: extensionPoints.checks }, init: ({ checks }) => void checks.add(passCheck('shared.check')) });
  const second = { ...checkPlugin('second', { contributes: { checks: ['shared.check'] } }) };
  second.definition = definePlugin({ id: 'second', deps: { checks: extensionPoints.checks }, init: ({ checks }) => void checks.add(passCheck('shared.check')) });
  const malformed = {
    manifest: testManifest('malformed', { contributes: { readers: ['half'] } }),
    definition: definePlugin({ id: 'malformed', deps: { readers: extensionPoints.readers }, init: ({ readers }) => void readers.add({ id: 'half', displayName: 'Half a driver' } as never) }),
  };
  const host = await startTestHost({ plugins: [undeclared, first, second, malformed] });
  assert.is(host.plugin('undeclared').error!.code, 'TSR_CONTRIBUTION_UNDECLARED');
  assert.match(host.plugin('undeclared').error!.hint ?? '', /contributes\.checks/);
  assert.is(host.plugin('first').state, 'started');
  assert.is(host.plugin('second').error!.code, 'TSR_CONTRIBUTION_DUPLICATE');
  assert.is(host.plugin('malformed').error!.code, 'TSR_CONTRIBUTION_INVALID');
  assert.match(host.plugin('malformed').error!.message, /listDevices/);
  await host.stop();
});

test('configuration: disabled plugins, profiles, config validation with defaults, unknown ids', async () => {
  let seenConfig: Record<string, unknown> = {};
  const configurable = {
    manifest: testManifest('configurable', {
      configSchema: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, default: 48 }, mode: { enum: ['online', 'offline'] } } },
    }),
    definition: definePlugin({ id: 'configurable', deps: { config: coreServices.config }, init: ({ config }) => void (seenConfig = { ...config }) }),
  };
  const host = await startTestHost({
    plugins: [configurable, checkPlugin('optional'), checkPlugin('needs-optional', { requires: { optional: '*' } }), checkPlugin('airport-only')],
    config: {
      plugins: { disabled: ['optional', 'airport-only', 'ghost-plugin'], config: { configurable: { mode: 'offline' } } },
      profile: 'airport',
      profiles: { airport: { plugins: { enabled: ['airport-only'] } } },
    },
  });
  assert.equal(seenConfig, { mode: 'offline', limit: 48 });
  assert.is(host.plugin('optional').state, 'disabled');
  assert.is(host.plugin('needs-optional').error!.code, 'TSR_PLUGIN_DEPENDENCY_DISABLED');
  assert.is(host.plugin('airport-only').state, 'started', 'the profile re-enables it');
  assert.equal(host.kernel.configWarnings.map((w) => w.code), ['TSR_CONFIG_UNKNOWN_PLUGIN']);
  assert.match(host.kernel.configWarnings[0]!.message, /ghost-plugin/);
  await host.stop();

  const invalid = await startTestHost({ plugins: [configurable], config: { plugins: { config: { configurable: { limit: 0 } } } } });
  assert.is(invalid.plugin('configurable').error!.code, 'TSR_PLUGIN_CONFIG_INVALID');
  assert.match(invalid.plugin('configurable').error!.message, /limit/);
  await invalid.stop();
});

test('an unknown profile is a configuration error, not a silent default', async () => {
  try {
    await startTestHost({ config: { profile: 'nowhere', profiles: {} } });
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code: string }).code, 'TSR_CONFIG_UNKNOWN_PROFILE');
  }
});

test('deps naming something the host does not offer → TSR_PLUGIN_UNKNOWN_DEPENDENCY_REF', async () => {
  const odd = { manifest: testManifest('odd'), definition: definePlugin({ id: 'odd', deps: { thing: { kind: 'service', id: 'x', token: Symbol('x') } as never }, init: () => undefined }) };
  const host = await startTestHost({ plugins: [odd] });
  assert.is(host.plugin('odd').error!.code, 'TSR_PLUGIN_UNKNOWN_DEPENDENCY_REF');
  await host.stop();
});

test('each plugin has its own database: same table name, separate rows; a failed migration is rolled back', async () => {
  const dir = await tempDir();
  const seen: Record<string, unknown[]> = {};
  const withTable = (id: string, value: string) => ({
    manifest: testManifest(id),
    definition: definePlugin({
      id,
      deps: { db: coreServices.database },
      migrations: [{ name: '0001-items', up: (knex) => knex.schema.createTable('items', (t) => void t.string('value')) }],
      async init({ db }) {
        await db('items').insert({ value });
        seen[id] = (await db('items').select('value')).map((r: { value: string }) => r.value);
      },
    }),
  });
  const badMigration = {
    manifest: testManifest('bad-migration'),
    definition: definePlugin({
      id: 'bad-migration',
      deps: {},
      migrations: [
        {
          name: '0001-half',
          async up(knex) {
            await knex.schema.createTable('half_done', (t) => void t.string('x'));
            await knex.raw('this is not sql');
          },
        },
      ],
      init: () => undefined,
    }),
  };
  try {
    const kernel = await startKernel({ kind: 'test', dataDir: dir, config: {}, pluginFolders: [], inlinePlugins: [withTable('one', 'from one'), withTable('two', 'from two'), badMigration], logger: createLogger({ level: 'silent' }) });
    assert.equal(seen, { one: ['from one'], two: ['from two'] });
    assert.is(kernel.plugins.status('bad-migration')!.error!.code, 'TSR_PLUGIN_MIGRATION_FAILED');
    const bad = await kernel.databases.forPlugin('bad-migration');
    assert.not.ok(await bad.schema.hasTable('half_done'), 'the failed migration left nothing behind');
    await kernel.stop();
    // Restart on the same folder: data survives, migrations do not run twice.
    const again = await startKernel({ kind: 'test', dataDir: dir, config: {}, pluginFolders: [], inlinePlugins: [withTable('one', 'second start')], logger: createLogger({ level: 'silent' }) });
    assert.equal(seen.one, ['from one', 'second start']);
    await again.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('two folders declaring the same id: the first is kept, the second fails with TSR_PLUGIN_DUPLICATE_ID', async () => {
  const a = await tempDir();
  const b = await tempDir();
  try {
    await writePluginFolder(a, 'good', testManifest('good', { contributes: { checks: ['good.check'] } }), GOOD_SOURCE);
    await writePluginFolder(b, 'good-copy', testManifest('good', { contributes: { checks: ['good.check'] } }), GOOD_SOURCE);
    const host = await startTestHost({ pluginFolders: [a, b] });
    const statuses = host.kernel.plugins.statuses();
    assert.is(host.plugin('good').state, 'started');
    const dup = statuses.find((s) => s.error?.code === 'TSR_PLUGIN_DUPLICATE_ID');
    assert.ok(dup, 'the duplicate is visible');
    await host.stop();
  } finally {
    await rm(a, { recursive: true, force: true });
    await rm(b, { recursive: true, force: true });
  }
});

test('npm discovery: installed packages with the tessera-plugin keyword are found, others ignored', async () => {
  const dir = await tempDir();
  try {
    const nm = path.join(dir, 'installed', 'node_modules');
    const pkg = await writePluginFolder(path.join(nm, '@acme'), 'tessera-reader', testManifest('good', { contributes: { checks: ['good.check'] } }), GOOD_SOURCE);
    await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ name: '@acme/tessera-reader', keywords: ['tessera-plugin'] }));
    const other = path.join(nm, 'left-pad');
    await mkdir(other, { recursive: true });
    await writeFile(path.join(other, 'package.json'), JSON.stringify({ name: 'left-pad' }));
    const kernel = await startKernel({ kind: 'test', dataDir: null, config: {}, pluginFolders: [], nodeModules: [nm], logger: createLogger({ level: 'silent' }) });
    assert.equal(kernel.plugins.statuses().map((s) => [s.id, s.source, s.state]), [['good', 'npm', 'started']]);
    await kernel.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the audit log records host start and stop, newest first', async () => {
  const host = await startTestHost({ plugins: [checkPlugin('alpha')] });
  await host.kernel.audit.record({ actor: 'officer.1', action: 'inspection.view', subject: 'abc' });
  const entries = await host.kernel.audit.list();
  assert.equal(entries.map((e) => e.action), ['inspection.view', 'host.start']);
  assert.is(entries[0]!.actor, 'officer.1');
  await host.stop();
});

test.run();
