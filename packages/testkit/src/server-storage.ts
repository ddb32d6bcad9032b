// The server's own storage, for a bench or test that prepares a database (its schema, a batch)
// without going through the API.
export { openStorage } from '../../../api/src/db/open-storage.ts'
export type { PostgresConfig, SqliteConfig, Storage, StorageConfig } from '../../../api/src/db/storage.ts'
