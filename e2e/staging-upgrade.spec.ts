import { webcrypto } from 'node:crypto'
import { encodeBase64Url, exportPublicKey, signToken } from '@boxoffice/tickets'
import { expect, test } from './fixtures.ts'
import { batchTokens } from '@boxoffice/testkit/server-tickets'

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

test('tickets staged by the previous version (whole tokens) upload after the update, and generation continues with the same key', async ({
  page,
  boxOffice,
  api,
  expectServerExact,
}) => {
  const quantity = 170
  const old = await versionOneBatch(quantity, 150) // chunks 0–2 staged, serials 150–169 still to generate
  // Any page of the origin that is not the app, so that the app's own code has not opened the database yet.
  await page.goto('/api/health')
  await page.evaluate(async ({ batch, chunks, pkcs8 }) => {
    const bytes = Uint8Array.from(atob(pkcs8.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0))
    const privateKey = await crypto.subtle.importKey('pkcs8', bytes, { name: 'Ed25519' }, false, ['sign'])
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('boxoffice-staging', 1)
      open.onupgradeneeded = () => {
        open.result.createObjectStore('batches', { keyPath: 'id' })
        open.result.createObjectStore('chunks', { keyPath: ['batchId', 'index'] })
      }
      open.onerror = () => reject(open.error)
      open.onsuccess = () => {
        const tx = open.result.transaction(['batches', 'chunks'], 'readwrite')
        tx.objectStore('batches').put({ ...batch, privateKey })
        for (const chunk of chunks) tx.objectStore('chunks').put(chunk)
        tx.oncomplete = () => {
          open.result.close()
          resolve()
        }
        tx.onerror = () => reject(tx.error)
      }
    })
  }, old)

  await boxOffice.open()
  await expect(page.locator(`section[data-batch-id="${old.batch.id}"]`)).toBeVisible()
  await boxOffice.waitForCompleted()
  await expectServerExact(old.batch.id, quantity)
  // The very tokens the old version signed, and the rest signed with the same key.
  expect(await batchTokens(api.database, old.batch.id)).toEqual(old.tokens)
})
