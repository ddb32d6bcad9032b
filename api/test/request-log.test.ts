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

  const requests = lines
    .filter((line) => line.req)
    .map((line) => `${line.msg}: ${line.req!.method} ${line.req!.url} ${line.res?.statusCode}`)
  assert.deepEqual(requests, [
    `request completed: PUT /api/batches/${batch.id}/chunks/1 422`,
    `request completed: GET /api/batches/${batch.id} 200`,
  ])
})

test('sign-ins refused in a flood are not logged one by one: one warning sums them up', async (t) => {
  const lines: { level: number; msg: string; refused?: number; res?: { statusCode: number } }[] = []
  const stream = new Writable({
    write(line, _encoding, done) {
      lines.push(JSON.parse(String(line)))
      done()
    },
  })
  const app = await openApp(t, await testDatabase(t), { logger: { level: 'info', stream }, signInQueue: { concurrency: 1, maxWaiting: 0 } })
  // The first sign-in takes the only place and holds it until the gate opens.
  let release!: () => void
  const opened = new Promise<void>((resolve) => (release = resolve))
  let checking = false
  const authenticate = app.passwords.authenticate.bind(app.passwords)
  app.passwords.authenticate = async (username, password) => {
    checking = true
    await opened
    return authenticate(username, password)
  }
  const signIn = (i: number) =>
    app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'x-boxoffice-request': '1' },
      payload: { username: `u${i}`, password: 'wrong password' },
    })
  const first = signIn(0)
  while (!checking) await new Promise((resolve) => setImmediate(resolve))
  const refused = await Promise.all([1, 2, 3, 4, 5].map(signIn))
  assert.deepEqual(
    refused.map((response) => response.statusCode),
    [503, 503, 503, 503, 503],
  )
  release()
  assert.equal((await first).statusCode, 401)

  assert.deepEqual(
    lines.filter((line) => line.res?.statusCode === 503),
    [],
    'no request line per refusal',
  )
  const warnings = lines.filter((line) => line.level === 40)
  assert.equal(warnings.length, 1)
  assert.match(warnings[0]!.msg, /^sign-ins refused/)
  assert.equal(warnings[0]!.refused, 1, 'the first refusal warns at once; the next ones are summed up in the next warning')
})
