import type Database from 'better-sqlite3'
import type { DeviceRecord, DeviceRepository, NewDevice, RefusedCheckin } from '../device-repository.ts'
import { sqliteOperation } from './sqlite-errors.ts'

const DEVICE_SELECT = `
  SELECT d.id, d.name, d.created_at AS createdAt, c.username AS createdBy, d.revoked_at AS revokedAt,
         r.username AS revokedBy, d.last_sync_at AS lastSyncAt,
         (SELECT count(*) FROM refused_checkins AS f WHERE f.device_id = d.id) AS refusedCheckins
  FROM devices AS d LEFT JOIN accounts AS c ON c.id = d.created_by LEFT JOIN accounts AS r ON r.id = d.revoked_by`

export class SqliteDeviceRepository implements DeviceRepository {
  readonly #db: Database.Database
  readonly #statements

  constructor(db: Database.Database) {
    this.#db = db
    this.#statements = {
      insert: db.prepare(`
        INSERT INTO devices (id, name, key_hash, created_at, created_by) VALUES (@id, @name, @keyHash, @createdAt, @createdBy)
        ON CONFLICT DO NOTHING`),
      list: db.prepare<[], DeviceRecord>(`${DEVICE_SELECT} ORDER BY d.created_at DESC, d.id`),
      byId: db.prepare<[string], DeviceRecord>(`${DEVICE_SELECT} WHERE d.id = ?`),
      byKeyHash: db.prepare<[string], DeviceRecord>(`${DEVICE_SELECT} WHERE d.key_hash = ?`),
      revoke: db.prepare('UPDATE devices SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL'),
      sync: db.prepare('UPDATE devices SET last_sync_at = ? WHERE id = ?'),
      insertRefused: db.prepare(`
        INSERT INTO refused_checkins (device_id, token, checked_in_at, received_at) VALUES (@deviceId, @token, @checkedInAt, @receivedAt)
        ON CONFLICT DO NOTHING`),
      listRefused: db.prepare<[number], RefusedCheckin>(`
        SELECT f.device_id AS deviceId, d.name AS deviceName, f.token, f.checked_in_at AS checkedInAt, f.received_at AS receivedAt
        FROM refused_checkins AS f JOIN devices AS d ON d.id = f.device_id ORDER BY f.id DESC LIMIT ?`),
    }
  }

  async createDevice(device: NewDevice): Promise<DeviceRecord | undefined> {
    return sqliteOperation('createDevice', () =>
      this.#statements.insert.run(device).changes === 1 ? this.#statements.byId.get(device.id) : undefined,
    )
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return sqliteOperation('listDevices', () => this.#statements.list.all())
  }

  async findDevice(id: string): Promise<DeviceRecord | undefined> {
    return sqliteOperation('findDevice', () => this.#statements.byId.get(id))
  }

  async findDeviceByKeyHash(keyHash: string): Promise<DeviceRecord | undefined> {
    return sqliteOperation('findDeviceByKeyHash', () => this.#statements.byKeyHash.get(keyHash))
  }

  async revokeDevice(id: string, revokedAt: string, revokedBy: number): Promise<DeviceRecord | undefined> {
    return sqliteOperation('revokeDevice', () => {
      this.#statements.revoke.run(revokedAt, revokedBy, id)
      return this.#statements.byId.get(id)
    })
  }

  async recordSync(id: string, at: string): Promise<void> {
    await sqliteOperation('recordSync', () => this.#statements.sync.run(at, id))
  }

  async recordRefusedCheckins(checkins: readonly Omit<RefusedCheckin, 'deviceName'>[]): Promise<number> {
    const insertAll = this.#db.transaction(() =>
      checkins.reduce((added, checkin) => added + this.#statements.insertRefused.run(checkin).changes, 0),
    )
    return sqliteOperation('recordRefusedCheckins', () => insertAll.immediate())
  }

  async listRefusedCheckins(limit: number): Promise<RefusedCheckin[]> {
    return sqliteOperation('listRefusedCheckins', () => this.#statements.listRefused.all(limit))
  }
}
