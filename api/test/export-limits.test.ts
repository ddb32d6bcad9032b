// Exports are limited per account and in total, PDFs are drawn off the main thread, and a PDF
// worker that dies is a clean error, not a hung download.
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { completedBatch } from './completed-batch.ts'
import { readPdf } from '@boxoffice/testkit/pdf-reader'
import { addTestAccount, buildTestApp, errorOf, signIn, type Client } from './helper.ts'

const pdfOf = (batchId: string) => `/api/batches/${batchId}/tickets.pdf?layout=single`

function statuses(responses: { statusCode: number }[]) {
  return responses.map((response) => response.statusCode).sort()
}

function assertBusy(response: Awaited<ReturnType<Client['inject']>>, message: RegExp) {
  assert.equal(response.statusCode, 429)
  assert.equal(errorOf(response).code, 'EXPORTS_BUSY')
  assert.match(errorOf(response).message, message)
  assert.equal(response.headers['retry-after'], '5')
}

describe('export limits', () => {
  test('a third export at once by one account is 429 EXPORTS_BUSY with Retry-After, CSV or PDF; once one ends it may export again', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 100 })
    const csv = `/api/batches/${batch.id}/tickets.csv`
    const responses = await Promise.all([pdfOf(batch.id), pdfOf(batch.id), csv].map((url) => api.inject({ method: 'GET', url })))
    assert.deepEqual(statuses(responses), [200, 200, 429])
    assertBusy(
      responses.find((response) => response.statusCode === 429)!,
      /this account already has 2 exports running/,
    )
    // The slots were given back when the downloads ended.
    const again = await Promise.all([pdfOf(batch.id), csv].map((url) => api.inject({ method: 'GET', url })))
    assert.deepEqual(statuses(again), [200, 200])
    assert.match(again[0]!.body, /^%PDF-1\.3[\s\S]*%%EOF\n$/)
  })

  test('past the total, another account is refused too', async (t) => {
    const { app, api } = await buildTestApp(t, { exportLimits: { perAccount: 2, total: 3 } })
    await addTestAccount(app, 'boss', 'admin')
    const boss = (await signIn(app, 'boss')).api
    // Large enough that every export still holds its slot when the last one asks: the PDF worker
    // draws them one after another, and each holds its slot until its file is sent.
    const batch = await completedBatch(api, { quantity: 500 })
    const responses = await Promise.all([api, api, boss, boss].map((client) => client.inject({ method: 'GET', url: pdfOf(batch.id) })))
    // Four asked, three fit: whichever came last is refused, and only the server's total can refuse
    // it (neither account asked for more than its 2).
    assert.deepEqual(statuses(responses), [200, 200, 200, 429])
    assertBusy(
      responses.find((response) => response.statusCode === 429)!,
      /the server is running 3 exports, its most at once/,
    )
  })
})

describe('PDF drawing off the main thread', () => {
  test('check-ins are answered at once while four PDF exports run', async (t) => {
    const { app, api } = await buildTestApp(t)
    await addTestAccount(app, 'boss', 'admin')
    const boss = (await signIn(app, 'boss')).api
    const batch = await completedBatch(api, { quantity: 1000 })
    const started = performance.now()
    let exportsDone = 0
    const exports = [api, api, boss, boss].map((client) =>
      client.inject({ method: 'GET', url: `/api/batches/${batch.id}/tickets.pdf?layout=single&from=0&to=999` }).then((response) => {
        exportsDone++
        return response
      }),
    )
    const latencies: number[] = []
    let serial = 0
    while (exportsDone === 0 && serial < 1000) {
      const before = performance.now()
      const response = await api.inject({ method: 'POST', url: '/api/checkins', payload: { token: await batch.token(serial++) } })
      latencies.push(performance.now() - before)
      assert.equal(response.statusCode, 200, response.body)
    }
    const elapsed = performance.now() - started
    assert.deepEqual(statuses(await Promise.all(exports)), [200, 200, 200, 200])
    // On the main thread, pdfkit held the event loop until the files were written: the first check-in waited for all four.
    assert.ok(latencies.length >= 5, `${latencies.length} check-ins answered during ${elapsed.toFixed(0)} ms of exports`)
    const slowest = Math.max(...latencies)
    assert.ok(slowest < elapsed / 3, `slowest check-in ${slowest.toFixed(0)} ms of ${elapsed.toFixed(0)} ms of exports`)
  })

  test('a PDF worker that dies before the first byte is 503 EXPORT_UNAVAILABLE with Retry-After; the next export gets a new worker', async (t) => {
    const pdfWorkerUrl = new URL('../src/exports/pdf-worker.crash-fixture.mjs', import.meta.url)
    const { api } = await buildTestApp(t, { pdfWorkerUrl })
    const doomed = await completedBatch(api, { quantity: 20, event: 'crash the worker' })
    const crashed = await api.inject({ method: 'GET', url: pdfOf(doomed.id) })
    assert.equal(crashed.statusCode, 503, crashed.body.slice(0, 300))
    assert.equal(errorOf(crashed).code, 'EXPORT_UNAVAILABLE')
    assert.match(errorOf(crashed).message, /a PDF worker stopped while writing this file/)
    assert.equal(crashed.headers['retry-after'], '1')
    const fine = await completedBatch(api, { quantity: 20 })
    const response = await api.inject({ method: 'GET', url: pdfOf(fine.id) })
    assert.equal(response.statusCode, 200)
    assert.equal((await readPdf(response.rawPayload)).pageCount, 20)
  })
})
