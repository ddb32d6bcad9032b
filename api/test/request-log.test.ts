import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { addTestAccount, createBatch, makeTestBatch, openApp, putChunk, signIn, tamperToken, testDatabase } from './helper.ts'

test('every answered request is logged once when it completes, except chunk uploads that succeeded', async (t) => {
  const lines: { msg: string; req?: { method: string; url: string }; res?: { statusCode: number } }[] = []
  const stream = new Writable({
    write(line, _encoding, done) {
      lines.push(JSON.parse(String(line)))
      done()
    },
  })
  const app = await openApp(t, await testDatabase(t), { logger: { level: 'info', stream } })
  await addTestAccount(app, 'staff')
  const { api } = await signIn(app, 'staff')
  const batch = await makeTestBatch({ quantity: 120 })
  await createBatch(api, batch.body)
  lines.length = 0

  assert.equal((await putChunk(api, batch.id, 0, await batch.chunk(0))).statusCode, 200)
  const bad = await batch.chunk(1)
  bad.tickets[3]!.token = tamperToken(bad.tickets[3]!.token)
  assert.equal((await putChunk(api, batch.id, 1, bad)).statusCode, 422)
  assert.equal((await api.inject({ method: 'GET', url: `/api/batches/${batch.id}` })).statusCode, 200)

  const requests = lines.filter((line) => line.req).map((line) => `${line.msg}: ${line.req!.method} ${line.req!.url} ${line.res?.statusCode}`)
  assert.deepEqual(requests, [
    `request completed: PUT /api/batches/${batch.id}/chunks/1 422`,
    `request completed: GET /api/batches/${batch.id} 200`,
  ])
})
