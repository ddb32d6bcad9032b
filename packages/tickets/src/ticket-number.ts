// What a person reads off a ticket: the same on the printed PDF, in the CSV and in the web UI.

/** Digits of the serial part: serials run up to MAX_QUANTITY − 1 = 999,999. */
const SERIAL_DIGITS = 7

/**
 * `3F1C2A4E-0000042`: the first 8 characters of the batch id in upper case, then the 0-based
 * serial padded to 7 digits. Serial and batch can be read back from it by a person at the gate;
 * it is not a secret and proves nothing (the signed token does).
 */
export function formatTicketNumber(batchId: string, serial: number): string {
  return `${batchId.slice(0, 8).toUpperCase()}-${String(serial).padStart(SERIAL_DIGITS, '0')}`
}
