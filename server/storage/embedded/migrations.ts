// Columns added after the first release: CREATE TABLE IF NOT EXISTS leaves an existing
// table as it was, so a store created by an older Keyward gets them here.
import type { Database } from 'better-sqlite3';

export const ADDED_COLUMNS: readonly { table: string; column: string; definition: string }[] = [
  { table: 'users', column: 'groups', definition: "TEXT NOT NULL DEFAULT '[]'" },
  { table: 'users', column: 'email', definition: 'TEXT' },
  { table: 'users', column: 'username_skeleton', definition: 'TEXT' },
  { table: 'users', column: 'email_key', definition: 'TEXT' },
  { table: 'users', column: 'language', definition: 'TEXT' },
  { table: 'users', column: 'directory_id', definition: 'TEXT' },
  { table: 'users', column: 'directory_groups', definition: "TEXT NOT NULL DEFAULT '[]'" },
  { table: 'credentials', column: 'attestation', definition: 'TEXT' },
  { table: 'credentials', column: 'model_revoked_by', definition: 'TEXT' },
  { table: 'oidc', column: 'keyward_session', definition: 'TEXT' },
];

/** Runs inside prepareEmbeddedSchema's IMMEDIATE transaction, so the look-and-add is one step. */
export function addMissingColumns(db: Database): void {
  for (const { table, column, definition } of ADDED_COLUMNS) {
    const columns = db.prepare<[], { name: string }>(`PRAGMA table_info(${table})`).all();
    if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  }
}
