import assert from 'node:assert/strict'
import { test } from 'node:test'
import { UploadWindow, type UploadWindowSettings } from './upload-window.ts'

const SETTINGS: UploadWindowSettings = {
  initialRunChunks: 1,
  maxRunChunks: 32,
  maxInFlight: 8,
  minInFlight: 2,
  slowFactor: 4,
  slowFloorMs: 1_000,
}

const success = (window: UploadWindow, durationMs = 20) => window.report({ kind: 'success', chunks: window.runChunks, durationMs })

test('runs start at one chunk and double while requests succeed quickly, up to the most allowed', () => {
  const window = new UploadWindow(SETTINGS)
  const seen = [window.runChunks]
  for (let i = 0; i < 7; i++) {
    success(window)
    seen.push(window.runChunks)
  }
  assert.deepEqual(seen, [1, 2, 4, 8, 16, 32, 32, 32])
  assert.equal(window.inFlight, 8)
})

test('runs may start longer, never beyond the most allowed', () => {
  assert.equal(new UploadWindow({ ...SETTINGS, initialRunChunks: 8 }).runChunks, 8)
  assert.equal(new UploadWindow({ ...SETTINGS, initialRunChunks: 8, maxRunChunks: 1 }).runChunks, 1)
  const window = new UploadWindow({ ...SETTINGS, initialRunChunks: 8 })
  window.report({ kind: 'lost' })
  assert.equal(window.runChunks, 4, 'a loss halves it from there')
})

test('a lost request halves the run, and afterwards a run grows by one chunk per success', () => {
  const window = new UploadWindow(SETTINGS)
  for (let i = 0; i < 4; i++) success(window) // 16
  window.report({ kind: 'lost' })
  assert.equal(window.runChunks, 8)
  success(window)
  success(window)
  assert.equal(window.runChunks, 10)
  for (let i = 0; i < 5; i++) window.report({ kind: 'lost' })
  assert.equal(window.runChunks, 1, 'never below one chunk')
  assert.equal(window.inFlight, 8, 'a lossy network keeps every request in flight: aborted requests are not a busy server')
})

test('a busy server halves the requests in flight, never below the least; successes add them back one by one', () => {
  const window = new UploadWindow(SETTINGS)
  window.report({ kind: 'busy' })
  assert.equal(window.inFlight, 4)
  window.report({ kind: 'busy' })
  window.report({ kind: 'busy' })
  assert.equal(window.inFlight, 2)
  success(window)
  assert.equal(window.inFlight, 3)
})

test('a request far slower per chunk than the best seen halves the run; loopback jitter under the floor does not', () => {
  const window = new UploadWindow(SETTINGS)
  for (let i = 0; i < 3; i++) success(window, 40) // runs 1, 2, 4 at 40 ms: best 10 ms a chunk
  assert.equal(window.runChunks, 8)
  window.report({ kind: 'success', chunks: 8, durationMs: 900 }) // 112 ms a chunk, but under a second
  assert.equal(window.runChunks, 16)
  window.report({ kind: 'success', chunks: 16, durationMs: 2_000 }) // 125 ms a chunk, 12 times the best
  assert.equal(window.runChunks, 8)
})

test('a short run (the last chunks) does not grow the window', () => {
  const window = new UploadWindow(SETTINGS)
  success(window)
  success(window) // 4
  window.report({ kind: 'success', chunks: 1, durationMs: 5 })
  assert.equal(window.runChunks, 4)
})

test('with runs of at most one chunk, every chunk goes alone whatever happens', () => {
  const window = new UploadWindow({ ...SETTINGS, maxRunChunks: 1 })
  for (let i = 0; i < 5; i++) success(window)
  assert.equal(window.runChunks, 1)
})
