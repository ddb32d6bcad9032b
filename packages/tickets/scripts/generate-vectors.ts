// Writes test-vectors/tokens.json. Run once; the committed output is the reference that every
// implementation (Node, browser worker) must reproduce byte for byte.
import { writeFileSync } from 'node:fs'
import { exportPublicKey, signToken } from '../src/index.ts'

const ED25519 = { name: 'Ed25519' } as const

async function keyPair() {
  const pair = (await crypto.subtle.generateKey(ED25519, true, ['sign', 'verify'])) as CryptoKeyPair
  const privateKeyJwk = await crypto.subtle.exportKey('jwk', pair.privateKey)
  return { pair, privateKeyJwk, publicKey: await exportPublicKey(pair.publicKey) }
}

const cases = [
  { batchId: '3b241101-e2bb-4255-8caf-4136c566a962', serial: 0, ticketType: 'General' },
  { batchId: '3b241101-e2bb-4255-8caf-4136c566a962', serial: 49, ticketType: 'General' },
  { batchId: '3b241101-e2bb-4255-8caf-4136c566a962', serial: 999_999, ticketType: 'General' },
  { batchId: '9f1c2d3e-4b5a-4c6d-8e7f-001122334455', serial: 1234, ticketType: 'Entrée VIP — balcon' },
]

const keys = new Map<string, Awaited<ReturnType<typeof keyPair>>>()
const vectors = []
for (const payload of cases) {
  if (!keys.has(payload.batchId)) keys.set(payload.batchId, await keyPair())
  const key = keys.get(payload.batchId)!
  const token = await signToken(key.pair.privateKey, payload)
  vectors.push({ privateKeyJwk: key.privateKeyJwk, publicKey: key.publicKey, payload: { version: 1, ...payload }, token })
}

const [first, , , other] = vectors
const tampered = first!.token.slice(0, 40) + (first!.token[40] === 'A' ? 'B' : 'A') + first!.token.slice(41)
const rejections = [
  {
    description: 'one character of the signed payload changed',
    token: tampered,
    batchId: first!.payload.batchId,
    publicKey: first!.publicKey,
    reason: 'BAD_SIGNATURE',
  },
  {
    description: 'token of another batch',
    token: other!.token,
    batchId: first!.payload.batchId,
    publicKey: first!.publicKey,
    reason: 'WRONG_BATCH',
  },
  {
    description: 'truncated token',
    token: first!.token.slice(0, 100),
    batchId: first!.payload.batchId,
    publicKey: first!.publicKey,
    reason: 'BAD_ENCODING',
  },
  {
    description: 'lower-case characters',
    token: first!.token.toLowerCase(),
    batchId: first!.payload.batchId,
    publicKey: first!.publicKey,
    reason: 'BAD_ENCODING',
  },
  {
    description: 'format version 2',
    token: 'AI' + first!.token.slice(2),
    batchId: first!.payload.batchId,
    publicKey: first!.publicKey,
    reason: 'UNKNOWN_VERSION',
  },
]

const out = new URL('../test-vectors/tokens.json', import.meta.url)
writeFileSync(out, JSON.stringify({ format: 'boxoffice ticket token v1', signatures: vectors, rejections }, null, 2) + '\n')
console.log(`wrote ${vectors.length} signature vectors and ${rejections.length} rejections; sample token ${first!.token.length} chars`)
