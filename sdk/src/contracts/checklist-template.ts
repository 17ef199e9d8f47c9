/**
 * A data-driven checklist the host UI renders (document examination, imposter recognition).
 * Versioned, so saved answers can be migrated when a template changes.
 */
export interface ChecklistItem {
  id: string;
  /** i18n key or literal text. */
  label: string;
  help?: string;
  answers: ReadonlyArray<{ value: string; label: string }>;
  allowNotes?: boolean;
}

export interface ChecklistSection {
  id: string;
  title: string;
  items: ReadonlyArray<ChecklistItem>;
}

export interface ChecklistTemplate {
  /** Declared in the manifest's contributes.checklists. */
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly sections: ReadonlyArray<ChecklistSection>;
  /** Migrate answers saved against an older version of this template. */
  migrateAnswers?(fromVersion: number, answers: Record<string, unknown>): Record<string, unknown>;
}
