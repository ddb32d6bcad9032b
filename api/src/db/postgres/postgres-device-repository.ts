import type pg from 'pg'
import type { DeviceRecord, DeviceRepository, NewDevice, RefusedCheckin } from '../device-repository.ts'
import { pooledQuery } from './pooled.ts'

const DEVICE_SELECT = `
  SELECT d.id, d.name, d.created_at AS "createdAt", c.username AS "createdBy", d.revoked_at AS "revokedAt",
         r.username AS "revokedBy", d.last_sync_at AS "lastSyncAt",
         (SELECT count(*) FROM refused_checkins AS f WHERE f.device_id = d.id) AS "refusedCheckins"
  FROM devices AS d LEFT JOIN accounts AS c ON c.id = d.created_by LEFT JOIN accounts AS r ON r.id = d.revoked_by`

export class PostgresDeviceRepository implements DeviceRepository {
  readonly #pool: pg.Pool

  constructor(pool: pg.Pool) {
    this.#pool = pool
  }

  async createDevice(device: NewDevice): Promise<DeviceRecord | undefined> {
    const { rowCount } = await pooledQuery(
      this.#pool,
      'createDevice',
      `INSERT INTO devices (id, name, key_hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [device.id, device.name, device.keyHash, device.createdAt, device.createdBy],
    )
    return rowCount === 1 ? this.findDevice(device.id) : undefined
  }

  async listDevices(): Promise<DeviceRecord[]> {
    return (await pooledQuery<DeviceRecord>(this.#pool, 'listDevices', `${DEVICE_SELECT} ORDER BY d.created_at DESC, d.id`)).rows
  }

  async findDevice(id: string): Promise<DeviceRecord | undefined> {
    return (await pooledQuery<DeviceRecord>(this.#pool, 'findDevice', `${DEVICE_SELECT} WHERE d.id = $1`, [id])).rows[0]
  }

  async findDeviceByKeyHash(keyHash: string): Promise<DeviceRecord | undefined> {
    return (await pooledQuery<DeviceRecord>(this.#pool, 'findDeviceByKeyHash', `${DEVICE_SELECT} WHERE d.key_hash = $1`, [keyHash])).rows[0]
  }

  async revokeDevice(id: string, revokedAt: string, revokedBy: number): Promise<DeviceRecord | undefined> {
    await pooledQuery(
      this.#pool,
      'revokeDevice',
      'UPDATE devices SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL',
      [revokedAt, revokedBy, id],
    )
    return this.findDevice(id)
  }

  async recordSync(id: string, at: string): Promise<void> {
    await pooledQuery(this.#pool, 'recordSync', 'UPDATE devices SET last_sync_at = $1 WHERE id = $2', [at, id])
  }

  async recordRefusedCheckins(checkins: readonly Omit<RefusedCheckin, 'deviceName'>[]): Promise<number> {
    if (checkins.length === 0) return 0
    const column = <K extends keyof (typeof checkins)[number]>(key: K) => checkins.map((checkin) => checkin[key])
    const { rowCount } = await pooledQuery(
      this.#pool,
      'recordRefusedCheckins',
      `INSERT INTO refused_checkins (device_id, token, checked_in_at, received_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) ON CONFLICT DO NOTHING`,
      [column('deviceId'), column('token'), column('checkedInAt'), column('receivedAt')],
    )
    return rowCount ?? 0
  }

  async listRefusedCheckins(limit: number): Promise<RefusedCheckin[]> {
    const { rows } = await pooledQuery<RefusedCheckin>(
      this.#pool,
      'listRefusedCheckins',
      `SELECT f.device_id AS "deviceId", d.name AS "deviceName", f.token, f.checked_in_at AS "checkedInAt", f.received_at AS "receivedAt"
       FROM refused_checkins AS f JOIN devices AS d ON d.id = f.device_id ORDER BY f.id DESC LIMIT $1`,
      [limit],
    )
    return rows
  }
}
