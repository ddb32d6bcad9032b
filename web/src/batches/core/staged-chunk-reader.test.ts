import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AckedChunkReaper } from './acked-chunk-reaper.ts'
import { StagedChunkReader } from './staged-chunk-reader.ts'
import { MemoryStagingStore } from './testing/fakes.ts'

async function stageChunks(store: MemoryStagingStore, batchId: string, count: number) {
  for (let index = 0; index < count; index++) {
    await store.stageChunks(batchId, [{ index, signatures: new Uint8Array(64).fill(index) }], (index + 1) * 50)
  }
}

test('the reader fetches staged chunks a range at a time and hands each out once', async () => {
  const store = new MemoryStagingStore()
  await stageChunks(store, 'b', 40)
  const reader = new StagedChunkReader(store, 'b', 16)
  const indexes = await Promise.all(Array.from({ length: 40 }, (_, i) => reader.read(i).then((chunk) => chunk?.index)))
  assert.deepEqual(
    indexes,
    Array.from({ length: 40 }, (_, i) => i),
  )
  assert.ok(store.reads <= 5, `${store.reads} reads for 40 chunks`)
  assert.equal(await reader.read(41), undefined)
})

test('the reaper deletes acknowledged chunks in batches, and everything on flush', async () => {
  const store = new MemoryStagingStore()
  await stageChunks(store, 'b', 10)
  const reaper = new AckedChunkReaper(store, 'b', 4, (error) => assert.fail(String(error)))
  for (const index of [2, 0, 1]) reaper.add(index)
  assert.deepEqual(
    store.stagedIndexes('b'),
    Array.from({ length: 10 }, (_, i) => i),
    'nothing deleted before a batch is full',
  )
  reaper.add(5)
  await reaper.flush()
  assert.deepEqual(store.stagedIndexes('b'), [3, 4, 6, 7, 8, 9])
  reaper.add(9)
  await reaper.flush()
  assert.deepEqual(store.stagedIndexes('b'), [3, 4, 6, 7, 8])
})
