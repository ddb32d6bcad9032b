import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { describe, test, type TestContext } from 'node:test'
import Fastify from 'fastify'
import { handleError } from '../errors.ts'
import jsonBodies from './json-bodies.ts'
import requestDecompression from './request-decompression.ts'

const LIMIT = 1024

/** The app's error handler and JSON parsing, one route that decodes bodies and one that does not. */
async function buildEchoApp(t: TestContext) {
  const app = Fastify({ logger: false })
  app.setErrorHandler(handleError)
  await app.register(jsonBodies)
  await app.register(async (decoding) => {
    await decoding.register(requestDecompression)
    decoding.put('/decoded', { bodyLimit: LIMIT }, async (request) => ({ received: request.body }))
  })
  app.put('/plain', { bodyLimit: LIMIT }, async (request) => ({ received: request.body }))
  await app.ready()
  t.after(() => app.close())
  return app
}

function put(app: Awaited<ReturnType<typeof buildEchoApp>>, body: string | Buffer, encoding?: string, url = '/decoded') {
  return app.inject({
    method: 'PUT',
    url,
    headers: { 'content-type': 'application/json', ...(encoding === undefined ? {} : { 'content-encoding': encoding }) },
    payload: body,
  })
}

const errorOf = (response: { json(): unknown }) => (response.json() as { error: { code: string; message: string } }).error
const json = JSON.stringify({ tickets: [{ serial: 0, token: 'AE' }] })

describe('request decompression', () => {
  test('a gzip body is inflated before it is parsed, whatever the case of the coding name', async (t) => {
    const app = await buildEchoApp(t)
    for (const encoding of ['gzip', 'GZip', 'x-gzip', 'identity, gzip']) {
      const response = await put(app, gzipSync(json), encoding)
      assert.equal(response.statusCode, 200, `${encoding}: ${response.body}`)
      assert.deepEqual(response.json(), { received: JSON.parse(json) })
    }
  })

  test('a body with no content-encoding, or identity, is read as it is', async (t) => {
    const app = await buildEchoApp(t)
    for (const encoding of [undefined, 'identity']) {
      const response = await put(app, json, encoding)
      assert.equal(response.statusCode, 200)
      assert.deepEqual(response.json(), { received: JSON.parse(json) })
    }
  })

  test('a body that is not gzip, or is cut short, is a 400 BAD_CONTENT_ENCODING', async (t) => {
    const app = await buildEchoApp(t)
    const zipped = gzipSync(json)
    for (const body of [Buffer.from(json), zipped.subarray(0, zipped.length - 10), Buffer.alloc(0)]) {
      const response = await put(app, body, 'gzip')
      assert.equal(response.statusCode, 400)
      assert.equal(errorOf(response).code, 'BAD_CONTENT_ENCODING')
      assert.match(errorOf(response).message, /^request body is not valid gzip/)
    }
  })

  test('a small body that inflates past the limit (a zip bomb) is a 413 BODY_TOO_LARGE', async (t) => {
    const app = await buildEchoApp(t)
    const bomb = gzipSync(JSON.stringify({ pad: ' '.repeat(512 * 1024) }))
    assert.ok(bomb.length < LIMIT, 'the compressed body itself is within the limit')
    const response = await put(app, bomb, 'gzip')
    assert.equal(response.statusCode, 413)
    assert.equal(errorOf(response).code, 'BODY_TOO_LARGE')
  })

  test('a body just within the limit once inflated is accepted', async (t) => {
    const app = await buildEchoApp(t)
    const body = JSON.stringify({ pad: ' '.repeat(LIMIT - 10) })
    assert.equal(Buffer.byteLength(body), LIMIT)
    assert.equal((await put(app, gzipSync(body), 'gzip')).statusCode, 200)
    assert.equal((await put(app, gzipSync(body + ' '), 'gzip')).statusCode, 413)
  })

  test('a compressed body larger than the limit on the wire is a 413 BODY_TOO_LARGE', async (t) => {
    const app = await buildEchoApp(t)
    const incompressible = gzipSync(JSON.stringify({ pad: randomBytes(LIMIT).toString('base64') }))
    assert.ok(incompressible.length > LIMIT)
    const response = await put(app, incompressible, 'gzip')
    assert.equal(response.statusCode, 413)
    assert.equal(errorOf(response).code, 'BODY_TOO_LARGE')
  })

  test('any other content coding is a 415 UNSUPPORTED_CONTENT_ENCODING that names the accepted ones', async (t) => {
    const app = await buildEchoApp(t)
    for (const encoding of ['br', 'deflate', 'gzip, gzip', 'compress']) {
      const response = await put(app, json, encoding)
      assert.equal(response.statusCode, 415, encoding)
      assert.equal(errorOf(response).code, 'UNSUPPORTED_CONTENT_ENCODING')
      assert.equal(response.headers['accept-encoding'], 'gzip, identity')
    }
  })

  test('routes outside the plugin that registered it do not inflate bodies', async (t) => {
    const app = await buildEchoApp(t)
    const response = await put(app, gzipSync(json), 'gzip', '/plain')
    assert.equal(response.statusCode, 400)
    assert.equal(errorOf(response).code, 'MALFORMED_JSON')
  })

  test('over a socket, a streamed body with no Content-Length is cut off at the limit and answered 413', async (t) => {
    const app = await buildEchoApp(t)
    await app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = app.server.address() as AddressInfo
    for (const body of [
      gzipSync(JSON.stringify({ pad: ' '.repeat(512 * 1024) })), // inflates past the limit
      // Too large on the wire while inflating to nothing at all: empty gzip members.
      Buffer.concat(Array<Buffer>(100).fill(gzipSync(''))),
    ]) {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest(
          { port, method: 'PUT', path: '/decoded', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } },
          (response) => {
            let text = ''
            response.setEncoding('utf8')
            response.on('data', (chunk: string) => (text += chunk))
            response.on('end', () => resolve({ status: response.statusCode!, body: text }))
          },
        )
        request.on('error', reject)
        // Chunked transfer, in pieces, as a streaming client sends it.
        for (let offset = 0; offset < body.length; offset += 256) request.write(body.subarray(offset, offset + 256))
        request.end()
      })
      assert.equal(answer.status, 413)
      assert.equal(JSON.parse(answer.body).error.code, 'BODY_TOO_LARGE')
    }
  })
})
