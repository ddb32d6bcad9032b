import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BoundedWorkQueue } from './bounded-work-queue.ts'

interface Gate<T> {
  promise: Promise<T>
  open(value: T): void
  fail(error: Error): void
}

function gate<T = string>(): Gate<T> {
  let open!: (value: T) => void
  let fail!: (error: Error) => void
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve
    fail = reject
  })
  return { promise, open, fail }
}

/** Lets every promise callback that is ready run (no timer: one turn of the event loop). */
const settle = () => new Promise((resolve) => setImmediate(resolve))

/** A queue whose tasks each wait on their own gate; `started` lists them in the order they began. */
function scripted(concurrency: number, maxWaiting: number) {
  const queue = new BoundedWorkQueue({ concurrency, maxWaiting })
  const started: number[] = []
  const gates = new Map<number, Gate<string>>()
  const submit = (id: number) => {
    const taskGate = gate()
    gates.set(id, taskGate)
    return queue.tryRun(() => {
      started.push(id)
      return taskGate.promise
    })
  }
  return { queue, started, gates, submit }
}

test('at most `concurrency` tasks run; the others wait and start first come, first served as places free', async () => {
  const { queue, started, gates, submit } = scripted(2, 10)
  const results = [1, 2, 3, 4, 5].map(submit)
  await settle()
  assert.deepEqual(started, [1, 2])
  assert.deepEqual([queue.running, queue.waiting], [2, 3])
  gates.get(2)!.open('two')
  assert.equal(await results[1], 'two')
  await settle()
  assert.deepEqual(started, [1, 2, 3])
  gates.get(1)!.open('one')
  gates.get(3)!.open('three')
  await settle()
  assert.deepEqual(started, [1, 2, 3, 4, 5])
  assert.deepEqual([queue.running, queue.waiting], [2, 0])
  gates.get(4)!.open('four')
  gates.get(5)!.open('five')
  assert.deepEqual(await Promise.all(results), ['one', 'two', 'three', 'four', 'five'])
  assert.deepEqual([queue.running, queue.waiting], [0, 0])
})

test('once `maxWaiting` wait, a task is refused at once (undefined) and never runs; the queue says it is full', async () => {
  const { queue, started, gates, submit } = scripted(1, 2)
  const accepted = [submit(1), submit(2), submit(3)]
  assert.equal(queue.full, true)
  assert.equal(submit(4), undefined)
  assert.equal(submit(5), undefined)
  gates.get(1)!.open('one')
  await accepted[0]
  await settle()
  assert.equal(queue.full, false, 'a place in line is free again')
  assert.notEqual(submit(6), undefined)
  for (const id of [2, 3, 6]) {
    await settle()
    gates.get(id)!.open(String(id))
  }
  await Promise.all(accepted)
  assert.deepEqual(started, [1, 2, 3, 6])
})

test('a place freed while tasks wait goes to the first of them, never to a newcomer that arrives in between', async () => {
  const { queue, started, gates, submit } = scripted(1, 5)
  const first = submit(1)
  const second = submit(2)
  gates.get(1)!.open('one')
  await first
  // Task 1 has finished; task 2 holds the place but may not have begun yet. A newcomer must queue.
  const third = submit(3)
  assert.deepEqual([queue.running, queue.waiting], [1, 1])
  await settle()
  assert.deepEqual(started, [1, 2])
  gates.get(2)!.open('two')
  await second
  await settle()
  gates.get(3)!.open('three')
  await third
  assert.deepEqual(started, [1, 2, 3])
})

test('a task that fails, or throws before it returns a promise, gives its place on and its error to its caller', async () => {
  const queue = new BoundedWorkQueue({ concurrency: 1, maxWaiting: 2 })
  const failing = gate()
  const first = queue.tryRun(() => failing.promise)!
  const second = queue.tryRun(() => {
    throw new Error('thrown at once')
  })!
  const third = queue.tryRun(async () => 'third')!
  failing.fail(new Error('rejected'))
  await assert.rejects(first, /rejected/)
  await assert.rejects(second, /thrown at once/)
  assert.equal(await third, 'third')
  assert.deepEqual([queue.running, queue.waiting], [0, 0])
})

test('limits are positive integers (waiting may be 0: no line at all)', async () => {
  assert.throws(() => new BoundedWorkQueue({ concurrency: 0, maxWaiting: 1 }), /concurrency must be a positive integer; got 0/)
  assert.throws(() => new BoundedWorkQueue({ concurrency: 1.5, maxWaiting: 1 }), /concurrency must be a positive integer/)
  assert.throws(() => new BoundedWorkQueue({ concurrency: 1, maxWaiting: -1 }), /maxWaiting must be an integer of 0 or more; got -1/)
  const noLine = new BoundedWorkQueue({ concurrency: 1, maxWaiting: 0 })
  const running = gate()
  const only = noLine.tryRun(() => running.promise)
  assert.equal(
    noLine.tryRun(async () => 'x'),
    undefined,
  )
  running.open('done')
  assert.equal(await only, 'done')
})
