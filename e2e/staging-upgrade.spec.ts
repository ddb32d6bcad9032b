import { webcrypto } from 'node:crypto'
import { SIGNATURE_CHUNK_MEDIA_TYPE, encodeBase64Url, exportPublicKey, signToken, signaturesOfTokens } from '@boxoffice/tickets'
import type { Page } from '@playwright/test'
import { uuidFrom } from '@boxoffice/testkit/test-events'
import { expect, test } from './fixtures.ts'
import { batchTokens } from '@boxoffice/testkit/server-tickets'
import { chunkIndexesInUpload } from './support/network.ts'

const ED25519 = { name: 'Ed25519' } as const

/**
 * A batch as the app's IndexedDB version 1 staged it (whole tokens per chunk), made in Node with
 * an extractable key so that the test knows every token the browser must end up uploading.
 */
async function versionOneBatch(quantity: number, staged: number) {
  const keys = (await webcrypto.subtle.generateKey(ED25519, true, ['sign', 'verify'])) as CryptoKeyPair
  const id = crypto.randomUUID()
  const ticketType = 'General admission'
  const tokens = await Promise.all(
    Array.from({ length: quantity }, (_, serial) => signToken(keys.privateKey, { batchId: id, serial, ticketType })),
  )
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  const batch = {
    id,
    event: 'Upgrade night',
    ticketType,
    price: { amountMinor: 2500, currency: 'EUR' },
    quantity,
    publicKey: await exportPublicKey(keys.publicKey),
    createdAt: new Date().toISOString(),
    generatedCount: staged,
    registered: false,
    paused: false,
  }
  const chunks = Array.from({ length: staged / 50 }, (_, index) => ({
    batchId: id,
    index,
    tickets: tokens.slice(index * 50, index * 50 + 50).map((token, i) => ({ serial: index * 50 + i, token })),
  }))
  return { batch, chunks, tokens, pkcs8: encodeBase64Url(pkcs8) }
}

/** A chunk record as one IndexedDB version stores it: version 1 whole tokens, version 2 signatures (base64url here). */
type StagedRecord = { index: number; tickets: { serial: number; token: string }[] } | { index: number; signatures: string }

/**
 * Writes `boxoffice-staging` at `version` as that version of the app left it, from a page of the
 * origin that is not the app (so the app's own code has not opened the database yet).
 */
async function stageAsVersion(
  page: Page,
  version: 1 | 2,
  staged: { batch: { id: string } & Record<string, unknown>; chunks: StagedRecord[]; pkcs8: string },
) {
  await page.goto('/api/health')
  await page.evaluate(
    async ({ version, batch, chunks, pkcs8 }) => {
      const fromBase64 = (text: string) => Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0))
      const privateKey = await crypto.subtle.importKey('pkcs8', fromBase64(pkcs8), { name: 'Ed25519' }, false, ['sign'])
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('boxoffice-staging', version)
        open.onupgradeneeded = () => {
          open.result.createObjectStore('batches', { keyPath: 'id' })
          open.result.createObjectStore('chunks', { keyPath: ['batchId', 'index'] })
        }
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const tx = open.result.transaction(['batches', 'chunks'], 'readwrite')
          tx.objectStore('batches').put({ ...batch, privateKey })
          for (const chunk of chunks) {
            const record = 'signatures' in chunk ? { index: chunk.index, signatures: fromBase64(chunk.signatures) } : chunk
            tx.objectStore('chunks').put({ batchId: batch.id, ...record })
          }
          tx.oncomplete = () => {
            open.result.close()
            resolve()
          }
          tx.onerror = () => reject(tx.error)
        }
      })
    },
    { version, ...staged },
  )
}

test('tickets staged and never registered by a version before events are refused with a message to create the batch again', async ({
  page,
  boxOffice,
}) => {
  const quantity = 170
  const old = await versionOneBatch(quantity, 150) // chunks 0–2 staged, serials 150–169 still to generate
  await stageAsVersion(page, 1, {
    batch: old.batch,
    chunks: old.chunks.map(({ index, tickets }) => ({ index, tickets })),
    pkcs8: old.pkcs8,
  })

  await boxOffice.open()
  await expect(page.locator(`section[data-batch-id="${old.batch.id}"]`)).toBeVisible()
  // A batch is made for a ticket type now, which reserves its capacity; this one has none.
  await expect(boxOffice.status()).toHaveText(
    'Failed: This batch was started before events existed and never reached the server. Discard it and create it again for an event.',
  )
})

test('a batch the version before runs staged and half uploaded, one chunk a request, finishes in runs after the update, sending none the server holds', async ({
  page,
  context,
  boxOffice,
  api,
  apiClient,
  expectServerExact,
}) => {
  // Staged as today's IndexedDB version 2 stages it (signatures), every ticket generated and the
  // batch registered; the previous version had uploaded chunks 0-4, 9 and 17 alone before the update.
  const quantity = 1_500
  const old = await versionOneBatch(quantity, quantity)
  const held = [0, 1, 2, 3, 4, 9, 17]
  const signatures = old.chunks.map((chunk) => signaturesOfTokens(chunk.tickets.map(({ token }) => token))!)
  const { id, event, ticketType, publicKey } = old.batch
  // Registered before events: the upgrade made its event and type (docs/api.md, "Upgrading to events").
  const eventId = uuidFrom(`event ${event}`)
  const ticketTypeId = uuidFrom(`type ${event} / ${ticketType}`)
  const created = await apiClient.post('/api/events', {
    data: {
      id: eventId,
      name: event,
      startsAt: '2026-12-31T20:00',
      timeZone: 'UTC',
      venue: '',
      ticketTypes: [{ id: ticketTypeId, name: ticketType, price: old.batch.price, capacity: quantity }],
    },
  })
  expect(created.status(), await created.text()).toBe(201)
  expect((await apiClient.post('/api/batches', { data: { id, ticketTypeId, quantity, publicKey } })).status()).toBe(201)
  for (const index of held) {
    const response = await apiClient.put(`/api/batches/${old.batch.id}/chunks/${index}`, {
      headers: { 'content-type': SIGNATURE_CHUNK_MEDIA_TYPE },
      data: Buffer.from(signatures[index]!),
    })
    expect(response.status(), await response.text()).toBe(200)
  }
  await stageAsVersion(page, 2, {
    batch: { ...old.batch, registered: true },
    chunks: signatures.map((bytes, index) => ({ index, signatures: encodeBase64Url(bytes) })),
    pkcs8: old.pkcs8,
  })
  const uploads: number[][] = []
  await context.route('**/api/batches/*/chunks/*', async (route) => {
    uploads.push(chunkIndexesInUpload(route.request().url()))
    await route.continue()
  })

  await boxOffice.open()
  await boxOffice.waitForCompleted()
  await expectServerExact(old.batch.id, quantity)
  expect(await batchTokens(api.database, old.batch.id)).toEqual(old.tokens)
  const sent = uploads.flat()
  expect(sent.filter((index) => held.includes(index))).toEqual([])
  expect(new Set(sent).size).toBe(sent.length)
  expect(sent.length).toBe(quantity / 50 - held.length)
  // Runs, not one chunk a request.
  expect(uploads.length).toBeLessThan(sent.length)
})
