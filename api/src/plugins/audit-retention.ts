// The audit log keeps BOXOFFICE_AUDIT_DAYS days (default 400): older entries are removed when the
// server starts and once a day after. The chain is then checked from the oldest entry kept.
import fp from 'fastify-plugin'

const DAY_MS = 86_400_000

export interface AuditRetentionOptions {
  days: number
}

export default fp<AuditRetentionOptions>(
  async function auditRetention(app, options) {
    const prune = async () => {
      try {
        const before = new Date(Date.now() - options.days * DAY_MS).toISOString()
        const removed = await app.audit.pruneBefore(before)
        if (removed > 0) app.log.info({ removed, before }, 'audit entries past the retention period removed')
      } catch (error) {
        app.log.warn({ err: error }, 'audit retention: old entries could not be removed; trying again tomorrow')
      }
    }
    let timer: NodeJS.Timeout | undefined
    app.addHook('onReady', async () => {
      await prune()
      timer = setInterval(() => void prune(), DAY_MS).unref()
    })
    app.addHook('onClose', async () => clearInterval(timer))
  },
  { name: 'audit-retention', dependencies: ['storage'] },
)
