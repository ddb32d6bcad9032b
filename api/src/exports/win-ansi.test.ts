import assert from 'node:assert/strict'
import { test } from 'node:test'
import { toWinAnsi } from './win-ansi.ts'

test('text for the built-in PDF font keeps Latin-1 and WinAnsi punctuation, drops accents it lacks, replaces the rest', () => {
  assert.equal(toWinAnsi('Café Müller – “Live” €25'), 'Café Müller – “Live” €25')
  assert.equal(toWinAnsi('Łódź Kraków Ő'), '?ódz Kraków O')
  assert.equal(toWinAnsi('東京 Dome 🎉'), '?? Dome ?')
  assert.equal(toWinAnsi('two\tlines\nhere'), 'two lines here')
})
