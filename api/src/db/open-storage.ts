import type { Storage, StorageConfig } from './storage.ts'

/**
 * Opens the configured database, migrating it to this version's schema (and refusing one written
 * by a newer version). Each backend's driver is loaded only when it is the one configured.
 */
export async function openStorage(config: StorageConfig): Promise<Storage> {
  switch (config.backend) {
    case 'sqlite': {
      const { openSqliteStorage } = await import('./sqlite/sqlite-storage.ts')
      return openSqliteStorage(config)
    }
    case 'postgres': {
      const { openPostgresStorage } = await import('./postgres/postgres-storage.ts')
      return openPostgresStorage(config)
    }
  }
}
