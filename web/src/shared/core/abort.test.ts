import assert from 'node:assert/strict'
import { mock, test } from 'node:test'
import { abortable, deadline, linkedAbortController, onAbort } from './abort.ts'

/** An abortable wait whose set-up and undo the test can see. */
function watchedWait(signal: AbortSignal) {
  const seen = { started: 0, undone: 0, resolve: (_value: string) => {} }
  const wait = abortable<string>(signal, (resolve) => {
    seen.started++
    seen.resolve = resolve
    return () => seen.undone++
  })
  return { wait, seen }
}

test('a wait that ends undoes its set-up once, and stops listening to the signal', async () => {
  const controller = new AbortController()
  const { wait, seen } = watchedWait(controller.signal)
  seen.resolve('done')
  seen.resolve('again')
  assert.equal(await wait, 'done')
  controller.abort(new Error('late'))
  assert.equal(seen.undone, 1)
})

test('an abort rejects the wait with its reason and undoes the set-up', async () => {
  const controller = new AbortController()
  const { wait, seen } = watchedWait(controller.signal)
  controller.abort(new DOMException('stopped by the user', 'AbortError'))
  await assert.rejects(wait, { name: 'AbortError', message: 'stopped by the user' })
  seen.resolve('too late')
  assert.equal(seen.undone, 1)
})

test('a signal aborted before the wait rejects at once and sets nothing up', async () => {
  const { wait, seen } = watchedWait(AbortSignal.abort(new Error('already')))
  await assert.rejects(wait, /already/)
  assert.equal(seen.started, 0)
})

test('a wait resolved while it is being set up is still undone', async () => {
  let undone = 0
  const value = await abortable<number>(new AbortController().signal, (resolve) => {
    resolve(7)
    return () => undone++
  })
  assert.equal(value, 7)
  assert.equal(undone, 1)
})

test('a linked controller follows its parent until unlinked; onAbort fires at once on an aborted signal', () => {
  const parent = new AbortController()
  const { controller, unlink } = linkedAbortController(parent.signal)
  const other = linkedAbortController(parent.signal)
  other.unlink()
  parent.abort(new Error('parent stopped'))
  assert.equal(controller.signal.reason.message, 'parent stopped')
  assert.equal(other.controller.signal.aborted, false)
  unlink()
  let fired = 0
  onAbort(parent.signal, () => fired++)
  assert.equal(fired, 1)
})

test('a deadline aborts with a TimeoutError when it passes, and not once released', (t) => {
  mock.timers.enable({ apis: ['setTimeout'] })
  t.after(() => mock.timers.reset())
  const passed = deadline(30_000)
  const released = deadline(30_000)
  released.release()
  mock.timers.tick(29_999)
  assert.equal(passed.signal.aborted, false)
  mock.timers.tick(1)
  assert.equal(passed.signal.reason.name, 'TimeoutError')
  assert.equal(passed.signal.reason.message, 'no answer within 30 s')
  assert.equal(released.signal.aborted, false)
})

test("a deadline aborts with its parent's reason, and lets go of the parent once released", () => {
  const parent = new AbortController()
  const first = deadline(30_000, parent.signal)
  const second = deadline(30_000, parent.signal)
  second.release()
  parent.abort(new DOMException('paused', 'AbortError'))
  assert.equal(first.signal.reason.message, 'paused')
  assert.equal(second.signal.aborted, false)
  first.release()
})
