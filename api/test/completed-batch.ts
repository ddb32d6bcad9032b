import assert from 'node:assert/strict'
import { chunkCount } from '@boxoffice/tickets'
import { createWithChunks, makeTestBatch, type Client, type TestBatch, type TestBatchOptions } from './helper.ts'

/** A batch with every chunk uploaded and then completed, as the browser leaves it. */
export async function completedBatch(api: Client, overrides: TestBatchOptions = {}): Promise<TestBatch> {
  const batch = await makeTestBatch(overrides)
  await createWithChunks(
    api,
    batch,
    Array.from({ length: chunkCount(batch.body.quantity) }, (_, index) => index),
  )
  const completed = await api.inject({ method: 'POST', url: `/api/batches/${batch.id}/complete` })
  assert.equal(completed.statusCode, 200, completed.body)
  return batch
}
