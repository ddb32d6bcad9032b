import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import { checkinBucketOf } from '../event-repository.ts'

export interface Migration {
  version: number
  description: string
  up(db: Database.Database): void
}

/**
 * Append only: a released migration is never edited, a change is a new version.
 * `PRAGMA user_version` records the last version applied.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'batches, chunks and tickets',
    up(db) {
      db.exec(`
        CREATE TABLE batches (
          id               TEXT PRIMARY KEY,
          event            TEXT NOT NULL,
          ticket_type      TEXT NOT NULL,
          price_minor      INTEGER NOT NULL CHECK (price_minor >= 0),
          currency         TEXT NOT NULL,
          quantity         INTEGER NOT NULL CHECK (quantity >= 1),
          public_key       TEXT NOT NULL,
          state            TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'completed', 'cancelled')),
          created_at       TEXT NOT NULL,
          finished_at      TEXT,
          chunks_received  INTEGER NOT NULL DEFAULT 0,
          tickets_received INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX batches_by_created_at ON batches (created_at);

        CREATE TABLE chunks (
          batch_id     TEXT NOT NULL REFERENCES batches (id),
          chunk_index  INTEGER NOT NULL,
          digest       TEXT NOT NULL,
          ticket_count INTEGER NOT NULL,
          committed_at TEXT NOT NULL,
          PRIMARY KEY (batch_id, chunk_index)
        ) WITHOUT ROWID;

        CREATE TABLE tickets (
          batch_id TEXT NOT NULL REFERENCES batches (id),
          serial   INTEGER NOT NULL,
          token    TEXT NOT NULL,
          PRIMARY KEY (batch_id, serial)
        ) WITHOUT ROWID;
      `)
    },
  },
  {
    version: 2,
    description: 'staff accounts, sessions, and the account that created each batch',
    up(db) {
      // sessions.expires_at (like every time here) is an ISO 8601 UTC string as written by
      // Date.prototype.toISOString, e.g. '2026-11-29T23:49:50.829Z'. The server compares it as a date.
      db.exec(`
        CREATE TABLE accounts (
          id            INTEGER PRIMARY KEY,
          username      TEXT NOT NULL UNIQUE CHECK (username = lower(username) AND length(username) BETWEEN 1 AND 64),
          password_hash TEXT NOT NULL,
          role          TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
          disabled_at   TEXT,
          created_at    TEXT NOT NULL
        );

        CREATE TABLE sessions (
          token_hash TEXT PRIMARY KEY,
          account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
          created_at TEXT NOT NULL,
          expires_at TEXT NOT NULL,
          last_seen  TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX sessions_by_account ON sessions (account_id);

        -- Null for batches created before accounts existed.
        ALTER TABLE batches ADD COLUMN created_by INTEGER REFERENCES accounts (id);
        CREATE INDEX batches_by_creator ON batches (created_by, created_at);
      `)
    },
  },
  {
    version: 3,
    description: 'check-ins at the gate and revoked tickets and batches',
    up(db) {
      // A ticket is checked in at most once: the primary key makes the first INSERT win, whatever
      // the number of scanners (or server processes) racing. checked_in_at is the scanner's clock
      // (an offline device's, for synced check-ins); recorded_at is the server's.
      //
      // A revocation with serial NULL revokes the whole batch. The unique index treats that NULL as
      // -1, so each ticket and each batch is revoked at most once (a plain UNIQUE allows many NULLs).
      db.exec(`
        CREATE TABLE checkins (
          batch_id      TEXT NOT NULL REFERENCES batches (id),
          serial        INTEGER NOT NULL,
          checked_in_at TEXT NOT NULL,
          device_id     TEXT,
          recorded_at   TEXT NOT NULL,
          recorded_by   INTEGER REFERENCES accounts (id),
          PRIMARY KEY (batch_id, serial),
          FOREIGN KEY (batch_id, serial) REFERENCES tickets (batch_id, serial)
        ) WITHOUT ROWID;

        CREATE TABLE revocations (
          batch_id   TEXT NOT NULL REFERENCES batches (id),
          serial     INTEGER,
          revoked_at TEXT NOT NULL,
          reason     TEXT,
          revoked_by INTEGER REFERENCES accounts (id),
          FOREIGN KEY (batch_id, serial) REFERENCES tickets (batch_id, serial)
        );
        CREATE UNIQUE INDEX revocations_by_ticket ON revocations (batch_id, ifnull(serial, -1));
      `)
    },
  },
  {
    version: 4,
    description: 'sign-in attempts, counted in the database before the password is checked',
    up(db) {
      // One row per limit an attempt counts under (`ip:…`, `account:…`), all rows of one attempt
      // sharing its reservation, so that a sign-in that succeeds is released whole.
      db.exec(`
        CREATE TABLE login_attempts (
          id           INTEGER PRIMARY KEY,
          attempt_key  TEXT NOT NULL,
          reservation  TEXT NOT NULL,
          attempted_at TEXT NOT NULL
        );
        CREATE INDEX login_attempts_by_key ON login_attempts (attempt_key, attempted_at);
        CREATE INDEX login_attempts_by_reservation ON login_attempts (reservation);
      `)
    },
  },
  {
    version: 5,
    description: 'the idempotency key of each check-in',
    up(db) {
      // Chosen by the scanning device per scan; a retry must carry it (and come from recorded_by)
      // to be answered as the first. Check-ins from before have none: a retry of them is a repeat.
      db.exec('ALTER TABLE checkins ADD COLUMN idempotency_key TEXT')
    },
  },
  {
    version: 6,
    description: 'events and ticket types with capacity; batches made for a type; check-ins counted per 5 minutes',
    up(db) {
      // ticket_types.issued is the capacity reserved: the CHECK makes the database itself refuse
      // an oversold type. checkin_counts is what the door dashboard reads instead of the check-ins.
      db.exec(`
        CREATE TABLE events (
          id         TEXT PRIMARY KEY,
          name       TEXT NOT NULL,
          starts_at  TEXT,
          time_zone  TEXT NOT NULL,
          venue      TEXT NOT NULL DEFAULT '',
          created_at TEXT NOT NULL,
          created_by INTEGER REFERENCES accounts (id)
        );

        CREATE TABLE ticket_types (
          id          TEXT PRIMARY KEY,
          event_id    TEXT NOT NULL REFERENCES events (id),
          name        TEXT NOT NULL,
          price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
          currency    TEXT NOT NULL,
          capacity    INTEGER NOT NULL CHECK (capacity >= 0),
          issued      INTEGER NOT NULL DEFAULT 0 CHECK (issued >= 0 AND issued <= capacity)
        );
        CREATE INDEX ticket_types_by_event ON ticket_types (event_id);

        ALTER TABLE batches ADD COLUMN ticket_type_id TEXT REFERENCES ticket_types (id);

        CREATE TABLE checkin_counts (
          ticket_type_id TEXT NOT NULL REFERENCES ticket_types (id),
          bucket         TEXT NOT NULL,
          count          INTEGER NOT NULL,
          PRIMARY KEY (ticket_type_id, bucket)
        ) WITHOUT ROWID;
      `)
      // Today's batches: each event name becomes an event, each of its ticket types a type whose
      // capacity is what it has issued (a cancelled batch counts what it uploaded). The price is
      // the newest batch's; each batch keeps its own. The start is unknown until someone sets it.
      const events = db
        .prepare<[], { event: string; createdAt: string }>(
          'SELECT event, min(created_at) AS createdAt FROM batches GROUP BY event ORDER BY 2',
        )
        .all()
      const insertEvent = db.prepare(
        "INSERT INTO events (id, name, starts_at, time_zone, venue, created_at) VALUES (?, ?, NULL, 'UTC', '', ?)",
      )
      const types = db.prepare<[string], { ticketType: string; issued: number; priceMinor: number; currency: string }>(`
        SELECT ticket_type AS ticketType,
          sum(CASE state WHEN 'cancelled' THEN tickets_received ELSE quantity END) AS issued,
          (SELECT n.price_minor FROM batches AS n WHERE n.event = b.event AND n.ticket_type = b.ticket_type ORDER BY n.created_at DESC, n.rowid DESC LIMIT 1) AS priceMinor,
          (SELECT n.currency FROM batches AS n WHERE n.event = b.event AND n.ticket_type = b.ticket_type ORDER BY n.created_at DESC, n.rowid DESC LIMIT 1) AS currency
        FROM batches AS b WHERE event = ? GROUP BY ticket_type ORDER BY min(created_at)`)
      const insertType = db.prepare(
        'INSERT INTO ticket_types (id, event_id, name, price_minor, currency, capacity, issued) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      const assign = db.prepare('UPDATE batches SET ticket_type_id = ? WHERE event = ? AND ticket_type = ?')
      for (const { event, createdAt } of events) {
        const eventId = randomUUID()
        insertEvent.run(eventId, event, createdAt)
        for (const type of types.all(event)) {
          const typeId = randomUUID()
          insertType.run(typeId, eventId, type.ticketType, type.priceMinor, type.currency, type.issued, type.issued)
          assign.run(typeId, event, type.ticketType)
        }
      }
      db.exec('CREATE INDEX batches_by_ticket_type ON batches (ticket_type_id)')
      db.function('boxoffice_checkin_bucket', { deterministic: true }, (time) => checkinBucketOf(String(time)))
      db.exec(`
        INSERT INTO checkin_counts (ticket_type_id, bucket, count)
        SELECT b.ticket_type_id, boxoffice_checkin_bucket(c.checked_in_at), count(*)
        FROM checkins AS c JOIN batches AS b ON b.id = c.batch_id
        GROUP BY 1, 2`)
    },
  },
  {
    version: 7,
    description: 'the gate role (check-in only), and temporary passwords that must be changed at the next sign-in',
    up(db) {
      // SQLite cannot change a CHECK: the table is rebuilt, keeping every id, so the batches,
      // events and sessions that point at accounts point at the same rows. Dropping the old table
      // deletes its sessions (ON DELETE CASCADE), so they are kept aside and put back; the other
      // references are checked at commit (deferred), when the new table holds every id again.
      db.pragma('defer_foreign_keys = ON')
      db.exec(`
        CREATE TABLE accounts_v7 (
          id                   INTEGER PRIMARY KEY,
          username             TEXT NOT NULL UNIQUE CHECK (username = lower(username) AND length(username) BETWEEN 1 AND 64),
          password_hash        TEXT NOT NULL,
          role                 TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'gate')),
          disabled_at          TEXT,
          created_at           TEXT NOT NULL,
          must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1))
        );
        INSERT INTO accounts_v7 (id, username, password_hash, role, disabled_at, created_at)
          SELECT id, username, password_hash, role, disabled_at, created_at FROM accounts;
        CREATE TEMP TABLE sessions_kept AS SELECT * FROM sessions;
        DROP TABLE accounts;
        ALTER TABLE accounts_v7 RENAME TO accounts;
        INSERT INTO sessions SELECT * FROM temp.sessions_kept;
        DROP TABLE temp.sessions_kept;
      `)
    },
  },
  {
    version: 8,
    description: 'gate devices with revocable keys, the check-ins a revoked device sent (kept for review), and the audit log',
    up(db) {
      db.exec(`
        CREATE TABLE devices (
          id           TEXT PRIMARY KEY,
          name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
          key_hash     TEXT NOT NULL UNIQUE,
          created_at   TEXT NOT NULL,
          created_by   INTEGER REFERENCES accounts (id),
          revoked_at   TEXT,
          revoked_by   INTEGER REFERENCES accounts (id),
          last_sync_at TEXT
        );

        CREATE TABLE refused_checkins (
          id            INTEGER PRIMARY KEY,
          device_id     TEXT NOT NULL REFERENCES devices (id),
          token         TEXT NOT NULL,
          checked_in_at TEXT NOT NULL,
          received_at   TEXT NOT NULL,
          UNIQUE (device_id, token, checked_in_at)
        );

        CREATE TABLE audit_log (
          seq       INTEGER PRIMARY KEY,
          at        TEXT NOT NULL,
          actor     TEXT,
          ip        TEXT,
          device    TEXT,
          action    TEXT NOT NULL,
          subject   TEXT,
          detail    TEXT NOT NULL,
          prev_hash TEXT NOT NULL,
          hash      TEXT NOT NULL
        );
        CREATE INDEX audit_log_by_time ON audit_log (at);
      `)
    },
  },
]

export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.at(-1)?.version ?? 0
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Brings the database up to the latest version, one version per transaction, so a failing
 * migration leaves the database at the previous version rather than half-migrated.
 * Returns the versions applied.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = schemaVersion(db)
  const latest = latestVersion(migrations)
  if (current > latest) {
    throw new Error(`database schema version ${current} is newer than this server knows (${latest}); refusing to open it`)
  }
  const applied: number[] = []
  for (const migration of migrations) {
    if (migration.version <= current) continue
    const ran = db
      .transaction(() => {
        // Re-read under the write lock: another process may have migrated since we looked.
        if (schemaVersion(db) >= migration.version) return false
        migration.up(db)
        // user_version lives in the database header and is written inside the same transaction.
        db.pragma(`user_version = ${Math.trunc(migration.version)}`)
        return true
      })
      .immediate()
    if (ran) applied.push(migration.version)
  }
  return applied
}
