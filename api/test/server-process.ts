// The real server (src/server.ts) in a child process, as `pnpm start` runs it: for what only a
// separate process can show (a crash, the environment read at start).
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import type { TestContext } from 'node:test'

const SERVER = resolve(import.meta.dirname, '../src/server.ts')

export interface ServerProcess {
  baseUrl: string
  /** Every JSON log line so far. */
  logs: Record<string, any>[]
  /** SIGKILL: no shutdown handler runs, nothing is flushed or closed. */
  crash(): Promise<void>
}

/** Starts the server on a free port with `env` added to this environment; killed after the test. */
export async function startServer(t: TestContext, env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', BOXOFFICE_VERIFY_THREADS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  t.after(async () => {
    child.kill('SIGKILL')
    await exited
  })
  const logs: Record<string, any>[] = []
  let stderr = ''
  child.stderr.on('data', (data) => (stderr += data))
  const baseUrl = await new Promise<string>((listening, failed) => {
    let pending = ''
    child.stdout.on('data', (data) => {
      pending += data
      const lines = pending.split('\n')
      pending = lines.pop()!
      for (const line of lines) {
        const entry = JSON.parse(line)
        logs.push(entry)
        const address = /listening on (http:\/\/\S+)/.exec(entry.msg ?? '')?.[1]
        if (address) listening(address)
      }
    })
    child.once('exit', (code) => failed(new Error(`server exited with ${code} before listening: ${stderr}`)))
  })
  return {
    baseUrl,
    logs,
    async crash() {
      child.kill('SIGKILL')
      await exited
    },
  }
}
