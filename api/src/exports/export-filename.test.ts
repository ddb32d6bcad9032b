import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BatchRecord } from '../db/ticket-repository.ts'
import { exportFilename } from './export-filename.ts'

const batch = (event: string, ticketType: string) => ({ id: '3f1c2a4e-8b7d-4c6a-9e21-5d0f7a9b1c23', event, ticketType }) as BatchRecord

test('an export is named after event, ticket type and batch, with nothing a header or file system could choke on', () => {
  assert.equal(exportFilename(batch('Spring Gala 2026', 'General admission'), 'csv'), 'Spring-Gala-2026-General-admission-3f1c2a4e.csv')
  assert.equal(
    exportFilename(batch('Café "Noir", Paris', 'VIP/Backstage'), 'pdf', [0, 4999]),
    'Cafe-Noir-Paris-VIP-Backstage-3f1c2a4e-0-4999.pdf',
  )
  assert.equal(exportFilename(batch('..\\..\\etc\r\npasswd', '東京'), 'csv'), 'etc-passwd-tickets-3f1c2a4e.csv')
  assert.equal(exportFilename(batch('x'.repeat(120), 'y'), 'csv'), `${'x'.repeat(40)}-y-3f1c2a4e.csv`)
})
