// The only file that listens. Everything else builds the app without opening a port.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { buildApp } from './app.ts'
import { ConfigError, readConfig } from './config.ts'

async function main() {
  const config = readConfig()
  mkdirSync(dirname(config.dbPath), { recursive: true })
  const app = await buildApp({
    dbPath: config.dbPath,
    webDist: config.webDist,
    synchronous: config.synchronous,
    verifyThreads: config.verifyThreads,
    logger: { level: 'info' },
  })

  let closing = false
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) {
        app.log.warn(`${signal} again: exiting without waiting`)
        process.exit(1)
      }
      closing = true
      app.log.info(`${signal}: closing`)
      // Closing the app finishes in-flight requests, then closes the database.
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'close failed')
          process.exit(1)
        },
      )
    })
  }

  const address = await app.listen({ port: config.port, host: config.host })
  app.log.info({ db: config.dbPath, webDist: config.webDist, synchronous: config.synchronous, verifyThreads: config.verifyThreads }, `Boxoffice listening on ${address}`)
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`boxoffice: ${error.message}`)
  else console.error(error)
  process.exit(1)
})
