/**
 * Holds what plugins contribute to each extension point. Each plugin adds through its own facade,
 * which checks the item against the manifest's `contributes` and the contract's shape, and keeps the
 * Disposables so everything a failed or stopped plugin added can be removed at once.
 */
import { TesseraError, toDisposable, type ContributionKind, type Contributions, type Disposable } from '@tessera/sdk';
import type {
  ChecklistTemplate,
  DocumentCheck,
  InteropConnector,
  MrzOcrEngine,
  ReaderDriver,
  ReportTemplate,
  UiContribution,
  CliCommand,
} from '@tessera/sdk';

export interface ContributionTypes {
  readers: ReaderDriver;
  checks: DocumentCheck;
  connectors: InteropConnector;
  checklists: ChecklistTemplate;
  reportTemplates: ReportTemplate;
  ui: UiContribution;
  ocrEngines: MrzOcrEngine;
  commands: CliCommand;
}

export interface Contributed<T> {
  item: T;
  pluginId: string;
}

/** The members each contract requires, checked when a plugin contributes. */
const REQUIRED_MEMBERS: Record<ContributionKind, Array<[string, 'function' | 'string' | 'number' | 'object']>> = {
  readers: [['id', 'string'], ['displayName', 'string'], ['listDevices', 'function'], ['scan', 'function']],
  checks: [['id', 'string'], ['title', 'string'], ['category', 'string'], ['run', 'function']],
  connectors: [['id', 'string'], ['displayName', 'string'], ['queries', 'object']],
  checklists: [['id', 'string'], ['version', 'number'], ['title', 'string'], ['sections', 'object']],
  reportTemplates: [['id', 'string'], ['title', 'string'], ['render', 'function']],
  ui: [['id', 'string'], ['slot', 'string'], ['tagName', 'string'], ['module', 'string']],
  ocrEngines: [['id', 'string'], ['displayName', 'string'], ['recognize', 'function']],
  commands: [['id', 'string'], ['summary', 'string'], ['usage', 'string'], ['run', 'function']],
};

export class ExtensionRegistry {
  private readonly items = new Map<ContributionKind, Map<string, Contributed<unknown>>>();

  list<K extends ContributionKind>(kind: K): Array<Contributed<ContributionTypes[K]>> {
    return [...(this.items.get(kind)?.values() ?? [])] as Array<Contributed<ContributionTypes[K]>>;
  }

  get<K extends ContributionKind>(kind: K, id: string): Contributed<ContributionTypes[K]> | undefined {
    return this.items.get(kind)?.get(id) as Contributed<ContributionTypes[K]> | undefined;
  }

  /** The facade a plugin's init receives for one extension point. */
  facade<K extends ContributionKind>(kind: K, pluginId: string, declared: readonly string[], scope: PluginContributionScope): Contributions<ContributionTypes[K]> {
    return {
      add: (item: ContributionTypes[K]): Disposable => {
        if (scope.sealed) {
          throw new TesseraError('TSR_CONTRIBUTION_INVALID', `Plugin ${pluginId} tried to contribute to ${kind} after it failed or was stopped.`);
        }
        const problems = REQUIRED_MEMBERS[kind]
          .filter(([member, type]) => typeof (item as unknown as Record<string, unknown>)?.[member] !== type)
          .map(([member, type]) => `${member} (${type})`);
        if (problems.length) {
          throw new TesseraError('TSR_CONTRIBUTION_INVALID', `Plugin ${pluginId} contributed to ${kind} an object without ${problems.join(', ')}.`, {
            hint: `Implement the ${kind} contract from @tessera/sdk.`,
          });
        }
        const id = (item as { id: string }).id;
        if (!declared.includes(id)) {
          throw new TesseraError('TSR_CONTRIBUTION_UNDECLARED', `Plugin ${pluginId} contributed ${kind} "${id}", which its manifest does not declare.`, {
            hint: `Add "${id}" to contributes.${kind} in the plugin's tessera-plugin.json.`,
          });
        }
        let byId = this.items.get(kind);
        if (!byId) this.items.set(kind, (byId = new Map()));
        const existing = byId.get(id);
        if (existing) {
          throw new TesseraError('TSR_CONTRIBUTION_DUPLICATE', `Plugin ${pluginId} contributed ${kind} "${id}", but plugin ${existing.pluginId} already did.`, {
            hint: 'Contribution ids must be unique across plugins; rename one or disable one of the plugins.',
          });
        }
        const entry: Contributed<unknown> = { item, pluginId };
        byId.set(id, entry);
        const disposable = toDisposable(() => {
          if (byId.get(id) === entry) byId.delete(id);
        });
        scope.disposables.push(disposable);
        return disposable;
      },
      get: (id: string): ContributionTypes[K] | undefined => this.get(kind, id)?.item,
    };
  }
}

/** What one plugin has contributed, so it can all be removed together. */
export class PluginContributionScope {
  sealed = false;
  readonly disposables: Disposable[] = [];

  disposeAll(): void {
    this.sealed = true;
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
