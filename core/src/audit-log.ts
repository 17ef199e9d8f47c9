/** The audit log of who did what, kept in the host database; append-only through this API. */
import type { Knex } from 'knex';
import type { AuditEntry, AuditLog, AuditRecord, PluginMigration } from '@tessera/sdk';

export const auditMigrations: PluginMigration[] = [
  {
    name: '0001-audit-log',
    async up(knex) {
      await knex.schema.createTable('audit_log', (t) => {
        t.increments('id').primary();
        t.string('at', 32).notNullable().index();
        t.string('actor', 200).notNullable().index();
        t.string('action', 100).notNullable().index();
        t.string('subject', 200).nullable().index();
        t.string('purpose', 100).nullable();
        t.string('outcome', 16).nullable();
        t.string('plugin_id', 64).nullable();
        t.text('details').nullable();
      });
    },
  },
];

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  purpose: string | null;
  outcome: string | null;
  plugin_id: string | null;
  details: string | null;
}

export class KnexAuditLog implements AuditLog {
  constructor(
    private readonly knex: Knex,
    private readonly pluginId: string | null = null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The same log, with entries attributed to a plugin. */
  forPlugin(pluginId: string): AuditLog {
    return new KnexAuditLog(this.knex, pluginId, this.now);
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.knex('audit_log').insert({
      at: this.now().toISOString(),
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject ?? null,
      purpose: entry.purpose ?? null,
      outcome: entry.outcome ?? null,
      plugin_id: this.pluginId,
      details: entry.details ? JSON.stringify(entry.details) : null,
    });
  }

  async list(filter: { action?: string; subject?: string; actor?: string; limit?: number } = {}): Promise<AuditRecord[]> {
    const q = this.knex<AuditRow>('audit_log').select('*').orderBy('id', 'desc').limit(Math.min(filter.limit ?? 100, 1000));
    if (filter.action) q.where('action', filter.action);
    if (filter.subject) q.where('subject', filter.subject);
    if (filter.actor) q.where('actor', filter.actor);
    const rows = (await q) as AuditRow[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      ...(r.subject ? { subject: r.subject } : {}),
      ...(r.purpose ? { purpose: r.purpose } : {}),
      ...(r.outcome ? { outcome: r.outcome as 'success' | 'failure' } : {}),
      pluginId: r.plugin_id,
      ...(r.details ? { details: JSON.parse(r.details) as Record<string, unknown> } : {}),
    }));
  }
}
