// The Check-in page's IndexedDB database: the offline kit, this device's check-ins and its id.
// Separate from the ticket worker's `boxoffice-staging`: a gate device may never generate a ticket.
import type { DBSchema, IDBPDatabase } from 'idb'
import { openDatabase, type VersionNotices } from '../../shared/io/open-database.ts'
import type { CheckinStore, LocalCheckin, StoredKitBatch, SyncState } from '../ports.ts'

interface DeviceRecord {
  key: 'device'
  deviceId: string
}

interface CheckinSchema extends DBSchema {
  kit: { key: string; value: StoredKitBatch }
  // One record per ticket, keyed [batchId, serial]: a ticket enters once per device.
  checkins: { key: [string, number]; value: LocalCheckin; indexes: { 'by-sync': SyncState } }
  device: { key: 'device'; value: DeviceRecord }
}

const DB_NAME = 'boxoffice-checkin'
const DB_VERSION = 1

export class IndexedDbCheckinStore implements CheckinStore {
  #db: Promise<IDBPDatabase<CheckinSchema>> | undefined

  constructor(private readonly notices: VersionNotices) {}

  #open(): Promise<IDBPDatabase<CheckinSchema>> {
    this.#db ??= openDatabase<CheckinSchema>(
      DB_NAME,
      DB_VERSION,
      (db, oldVersion) => {
        if (oldVersion < 1) {
          db.createObjectStore('kit', { keyPath: 'id' })
          db.createObjectStore('checkins', { keyPath: ['batchId', 'serial'] }).createIndex('by-sync', 'sync')
          db.createObjectStore('device', { keyPath: 'key' })
        }
      },
      this.notices,
    )
    return this.#db
  }

  async deviceId(): Promise<string> {
    const db = await this.#open()
    const tx = db.transaction('device', 'readwrite')
    const stored = await tx.store.get('device')
    // Within one transaction, so two tabs opening at once still end up with one id.
    const record = stored ?? { key: 'device' as const, deviceId: `web-${crypto.randomUUID()}` }
    if (!stored) await tx.store.put(record)
    await tx.done
    return record.deviceId
  }

  async kitBatches(): Promise<StoredKitBatch[]> {
    return (await this.#open()).getAll('kit')
  }

  async replaceKit(batches: readonly StoredKitBatch[]): Promise<void> {
    const db = await this.#open()
    const tx = db.transaction('kit', 'readwrite')
    await Promise.all([tx.store.clear(), ...batches.map((batch) => tx.store.put(batch)), tx.done])
  }

  async findCheckin(batchId: string, serial: number): Promise<LocalCheckin | undefined> {
    return (await this.#open()).get('checkins', [batchId, serial])
  }

  // Default durability: a check-in admitted offline must survive a crash of the device.
  async recordCheckin(checkin: LocalCheckin): Promise<void> {
    await (await this.#open()).put('checkins', checkin)
  }

  async pendingCheckins(): Promise<LocalCheckin[]> {
    return (await this.#open()).getAllFromIndex('checkins', 'by-sync', 'pending')
  }

  async countPending(): Promise<number> {
    return (await this.#open()).countFromIndex('checkins', 'by-sync', 'pending')
  }

  async saveSyncOutcomes(records: readonly LocalCheckin[]): Promise<void> {
    if (records.length === 0) return
    const db = await this.#open()
    const tx = db.transaction('checkins', 'readwrite')
    await Promise.all([...records.map((record) => tx.store.put(record)), tx.done])
  }
}
