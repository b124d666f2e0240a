/**
 * @tandem/sqlite-store: a durable `Store` for Tandem on better-sqlite3 (WAL, migrations, group
 * commit, executor lease, retention, backups).
 * @module
 */
export { SCHEMA_VERSION } from "./migrate.js";
export type { RetentionOptions, SqliteStoreOptions } from "./options.js";
export { SqliteStore } from "./sqlite-store.js";
