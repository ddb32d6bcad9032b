import type { SiteReader, SiteWriter } from './site-transfer.ts'
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

/** The source of a site move (`boxoffice migrate-to-postgres`): reads every table of `config`. */
export async function openSiteReader(config: StorageConfig): Promise<SiteReader> {
  if (config.backend !== 'sqlite') throw new Error('a site is moved from its SQLite file')
  const { openSqliteSiteReader } = await import('./sqlite/sqlite-site-reader.ts')
  return openSqliteSiteReader(config.path)
}

/** The target of a site move: writes every table into `config`, which must be PostgreSQL. */
export async function openSiteWriter(config: StorageConfig): Promise<SiteWriter> {
  if (config.backend !== 'postgres') throw new Error('a site is moved into PostgreSQL')
  const { openPostgresSiteWriter } = await import('./postgres/postgres-site-writer.ts')
  return openPostgresSiteWriter(config.url)
}
