// Storage of gate devices: a scanner's named, revocable key, and the check-ins a revoked device
// still sent, kept for an admin to review. Plain data only and every method async.

export interface DeviceRecord {
  id: string
  name: string
  createdAt: string
  /** That admin's username, for display. */
  createdBy: string | null
  revokedAt: string | null
  revokedBy: string | null
  /** The server's clock at the device's last check-in sync. */
  lastSyncAt: string | null
  /** Check-ins it sent after it was revoked. */
  refusedCheckins: number
}

export interface NewDevice {
  id: string
  name: string
  /** SHA-256 of the key; the key itself is shown once and never stored. */
  keyHash: string
  createdAt: string
  createdBy: number
}

export interface RefusedCheckin {
  deviceId: string
  deviceName: string
  token: string
  checkedInAt: string
  receivedAt: string
}

export interface DeviceRepository {
  /** Undefined when a device of that name exists. */
  createDevice(device: NewDevice): Promise<DeviceRecord | undefined>
  /** Newest first, revoked ones included. */
  listDevices(): Promise<DeviceRecord[]>
  findDevice(id: string): Promise<DeviceRecord | undefined>
  findDeviceByKeyHash(keyHash: string): Promise<DeviceRecord | undefined>
  /** Revokes it unless it is revoked already; returns the device as it now is. */
  revokeDevice(id: string, revokedAt: string, revokedBy: number): Promise<DeviceRecord | undefined>
  recordSync(id: string, at: string): Promise<void>
  /** Keeps the check-ins for review; one the device sends again is kept once. Returns how many are new. */
  recordRefusedCheckins(checkins: readonly Omit<RefusedCheckin, 'deviceName'>[]): Promise<number>
  /** Newest first. */
  listRefusedCheckins(limit: number): Promise<RefusedCheckin[]>
}
