import assert from 'node:assert/strict'
import { test } from 'node:test'
import { auditQueryString, NO_AUDIT_FILTER } from './audit-filter.ts'

test('empty filters are left out; a "to" day covers the whole day; paging adds before', () => {
  assert.equal(auditQueryString(NO_AUDIT_FILTER), '')
  assert.equal(
    auditQueryString({ actor: ' boss ', action: 'batch.', from: '2026-12-01', to: '2026-12-03' }, 42),
    'actor=boss&action=batch.&from=2026-12-01&to=2026-12-03T23%3A59%3A59.999Z&before=42',
  )
})
