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

test('a field a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading quote and is quoted', () => {
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`)
  assert.equal(csvField('+1'), `"'+1"`)
  assert.equal(csvField('-1'), `"'-1"`)
  assert.equal(csvField('@SUM(A1)'), `"'@SUM(A1)"`)
  assert.equal(csvField('\t=1'), `"'\t=1"`)
  assert.equal(csvField('\r=1'), `"'\r=1"`)
  // Only the first character counts.
  assert.equal(csvField('Gala = fun'), 'Gala = fun')
  assert.equal(csvField('45.00 EUR'), '45.00 EUR')
})
