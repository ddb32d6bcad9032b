import assert from 'node:assert/strict'
import { test } from 'node:test'
import { csvField, csvLine } from './csv-export.ts'

test('CSV fields are quoted, with quotes doubled, exactly when they hold a comma, quote, line break or edge space', () => {
  assert.equal(csvField('Spring Gala 2026'), 'Spring Gala 2026')
  assert.equal(csvField('Gala, "Live"'), '"Gala, ""Live"""')
  assert.equal(csvField('two\nlines'), '"two\nlines"')
  assert.equal(csvField(' padded'), '" padded"')
  assert.equal(csvLine(['a', 'b,c']), 'a,"b,c"\r\n')
})
