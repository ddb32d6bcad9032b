// The Chrome DevTools Protocol over Chromium's --remote-debugging-pipe: NUL-terminated JSON on
// file descriptors 3 (to Chromium) and 4 (from it), one flat session per attached target.
import type { Readable, Writable } from 'node:stream'

type Listener = (params: any, sessionId: string | undefined) => void

interface Reply {
  id?: number
  method?: string
  params?: unknown
  result?: unknown
  error?: { message: string }
  sessionId?: string
}

export class CdpConnection {
  #nextId = 0
  #pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void; method: string }>()
  #listeners = new Map<string, Set<Listener>>()
  #buffer = ''
  #closed = false

  constructor(
    private readonly output: Writable,
    input: Readable,
  ) {
    input.setEncoding('utf8')
    input.on('data', (text: string) => this.#receive(text))
    input.on('close', () => this.#close(new Error('Chromium closed the DevTools pipe')))
  }

  /** Sends a command to the browser (no session) or to an attached target. */
  send<T = any>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(`${method}: the DevTools pipe is closed`))
    const id = ++this.#nextId
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, method })
      this.output.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`)
    })
  }

  on(event: string, listener: Listener): () => void {
    let listeners = this.#listeners.get(event)
    if (!listeners) this.#listeners.set(event, (listeners = new Set()))
    listeners.add(listener)
    return () => listeners.delete(listener)
  }

  /** Resolves with the first `event` whose params satisfy `matches`. */
  waitFor(event: string, matches: (params: any, sessionId: string | undefined) => boolean = () => true, timeoutMs = 30_000): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off()
        reject(new Error(`no ${event} within ${timeoutMs} ms`))
      }, timeoutMs)
      const off = this.on(event, (params, sessionId) => {
        if (!matches(params, sessionId)) return
        clearTimeout(timer)
        off()
        resolve(params)
      })
    })
  }

  #receive(text: string) {
    this.#buffer += text
    let end: number
    while ((end = this.#buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.#buffer.slice(0, end)) as Reply
      this.#buffer = this.#buffer.slice(end + 1)
      if (message.id !== undefined) {
        const pending = this.#pending.get(message.id)
        this.#pending.delete(message.id)
        if (message.error) pending?.reject(new Error(`${pending.method}: ${message.error.message}`))
        else pending?.resolve(message.result)
      } else if (message.method) {
        for (const listener of this.#listeners.get(message.method) ?? []) listener(message.params, message.sessionId)
      }
    }
  }

  #close(error: Error) {
    this.#closed = true
    for (const pending of this.#pending.values()) pending.reject(error)
    this.#pending.clear()
  }
}
