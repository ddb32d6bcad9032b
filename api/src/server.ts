// The only file that listens. Everything else builds the app without opening a port.
import { buildApp } from './app.ts'
import { AccountError } from './auth/accounts.ts'
import { bootstrapAdmin, describeBootstrap } from './auth/bootstrap-admin.ts'
import { ConfigError, readConfig } from './config.ts'
import { DEFAULT_LOGIN_LIMITS } from './routes/session.ts'

async function main() {
  const config = readConfig()
  const app = await buildApp({
    database: config.database,
    webDist: config.webDist,
    verifyThreads: config.verifyThreads,
    verifyLibrary: config.verifyLibrary,
    logger: { level: 'info' },
    sessionTtlHours: config.sessionTtlHours,
    sessionIdleMinutes: config.sessionIdleMinutes,
    trustProxy: config.trustProxy,
    publicOrigin: config.publicOrigin,
    pdfThreads: config.pdfThreads,
    exportLimits: config.exportLimits,
    auditDays: config.auditDays,
    loginLimits: { ...DEFAULT_LOGIN_LIMITS, perIp: { maxFailures: config.loginFailuresPerMinute, timeWindowMs: 60_000 } },
  })
  try {
    const bootstrap = describeBootstrap(await bootstrapAdmin({ accounts: app.accounts, audit: app.audit }, config.bootstrapAdmin))
    if (bootstrap) app.log[bootstrap.level](bootstrap.message)
  } catch (error) {
    await app.close()
    if (error instanceof AccountError) throw new ConfigError(`BOXOFFICE_ADMIN_USER / BOXOFFICE_ADMIN_PASSWORD: ${error.message}`)
    throw error
  }

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
  app.log.info(
    { database: config.database.backend, webDist: config.webDist, verifyThreads: config.verifyThreads },
    `Boxoffice listening on ${address}`,
  )
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`boxoffice: ${error.message}`)
  else console.error(error)
  process.exit(1)
})
