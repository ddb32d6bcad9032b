import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { build } from 'esbuild'
import { expect, test } from './fixtures.ts'

const ROOT = resolve(import.meta.dirname, '..')

test.use({ bypassCSP: true }) // the test loads the token code as a blob: worker, which the app's CSP rightly refuses

test('the token code reproduces the committed test vectors unchanged in a browser worker', async ({ page }) => {
  const vectors = JSON.parse(readFileSync(resolve(ROOT, 'packages/tickets/test-vectors/tokens.json'), 'utf8'))
  // The shared package's own source, bundled as-is for a classic worker.
  const bundle = await build({
    entryPoints: [resolve(ROOT, 'packages/tickets/src/index.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'Tickets',
    write: false,
    target: 'es2022',
  })
  const workerSource = `${bundle.outputFiles[0]!.text}
    self.onmessage = async ({ data: vectors }) => {
      const results = []
      for (const vector of vectors.signatures) {
        const key = await crypto.subtle.importKey('jwk', vector.privateKeyJwk, { name: 'Ed25519' }, false, ['sign'])
        const { version, ...payload } = vector.payload
        const token = await Tickets.signToken(key, payload)
        const publicKey = await Tickets.importPublicKey(vector.publicKey)
        const verdict = await Tickets.verifyToken(vector.token, { batchId: payload.batchId, publicKey })
        results.push({ token, verdict })
      }
      const rejections = []
      for (const rejection of vectors.rejections) {
        const publicKey = await Tickets.importPublicKey(rejection.publicKey)
        const verdict = await Tickets.verifyToken(rejection.token, { batchId: rejection.batchId, publicKey })
        rejections.push(verdict.ok ? 'ACCEPTED' : verdict.reason)
      }
      self.postMessage({ results, rejections, inWorker: typeof WorkerGlobalScope !== 'undefined' })
    }`
  await page.goto('/')
  const outcome = await page.evaluate(
    ({ source, vectors }) =>
      new Promise<{ results: { token: string; verdict: unknown }[]; rejections: string[]; inWorker: boolean }>((resolveOutcome, reject) => {
        const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })))
        worker.onmessage = ({ data }) => resolveOutcome(data)
        worker.onerror = (event) => reject(new Error(event.message))
        worker.postMessage(vectors)
      }),
    { source: workerSource, vectors },
  )
  expect(outcome.inWorker).toBe(true)
  expect(outcome.results.map((result) => result.token)).toEqual(vectors.signatures.map((vector: { token: string }) => vector.token))
  for (const [i, result] of outcome.results.entries()) {
    expect(result.verdict).toEqual({ ok: true, payload: vectors.signatures[i].payload })
  }
  expect(outcome.rejections).toEqual(vectors.rejections.map((rejection: { reason: string }) => rejection.reason))
})
