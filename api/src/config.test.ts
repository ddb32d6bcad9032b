import assert from 'node:assert/strict'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { test } from 'node:test'
import { ConfigError, defaultPdfThreads, readConfig } from './config.ts'

const repoRoot = resolve(import.meta.dirname, '../..')

test('defaults: port 3000 on 127.0.0.1, database and web app under the repository root', () => {
  assert.deepEqual(readConfig({}), {
    port: 3000,
    host: '127.0.0.1',
    database: { backend: 'sqlite', path: resolve(repoRoot, 'data/boxoffice.db'), synchronous: 'NORMAL' },
    webDist: resolve(repoRoot, 'web/dist'),
    verifyThreads: availableParallelism(),
    verifyLibrary: 'auto',
    sessionTtlHours: 12,
    sessionIdleMinutes: 60,
    loginFailuresPerMinute: 10,
    pdfThreads: defaultPdfThreads(),
    exportLimits: { perAccount: 2, total: 4 },
    trustProxy: false,
    publicOrigin: undefined,
    bootstrapAdmin: { username: 'admin', password: undefined },
    auditDays: 400,
  })
})

test('environment variables override the defaults', () => {
  const config = readConfig({
    PORT: '3999',
    HOST: '0.0.0.0',
    BOXOFFICE_DB: '/tmp/x.db',
    BOXOFFICE_WEB_DIST: '/srv/web',
    BOXOFFICE_SYNCHRONOUS: 'full',
    BOXOFFICE_VERIFY_THREADS: '3',
    BOXOFFICE_VERIFY_LIBRARY: 'OpenSSL',
    BOXOFFICE_SESSION_TTL_HOURS: '0.5',
    BOXOFFICE_SESSION_IDLE_MINUTES: '20',
    BOXOFFICE_LOGIN_FAILURES_PER_MINUTE: '1000',
    BOXOFFICE_PDF_THREADS: '2',
    BOXOFFICE_EXPORTS_PER_ACCOUNT: '1',
    BOXOFFICE_EXPORTS_TOTAL: '8',
    BOXOFFICE_TRUST_PROXY: '10.0.0.1,10.0.0.2',
    BOXOFFICE_PUBLIC_ORIGIN: 'https://tickets.example.org',
    BOXOFFICE_ADMIN_USER: 'boss',
    BOXOFFICE_ADMIN_PASSWORD: ' correct horse ',
    BOXOFFICE_AUDIT_DAYS: '30',
  })
  assert.deepEqual(config, {
    port: 3999,
    host: '0.0.0.0',
    database: { backend: 'sqlite', path: '/tmp/x.db', synchronous: 'FULL' },
    webDist: '/srv/web',
    verifyThreads: 3,
    verifyLibrary: 'openssl',
    sessionTtlHours: 0.5,
    sessionIdleMinutes: 20,
    loginFailuresPerMinute: 1000,
    pdfThreads: 2,
    exportLimits: { perAccount: 1, total: 8 },
    trustProxy: '10.0.0.1,10.0.0.2',
    publicOrigin: 'https://tickets.example.org',
    bootstrapAdmin: { username: 'boss', password: ' correct horse ' },
    auditDays: 30,
  })
  assert.equal(readConfig({ BOXOFFICE_VERIFY_THREADS: '0' }).verifyThreads, 0, '0 means verify on the main thread')
})

test('BOXOFFICE_DATABASE_URL runs on PostgreSQL, with a bounded pool and a statement timeout', () => {
  const url = 'postgres://boxoffice:secret@db.internal:5432/boxoffice'
  assert.deepEqual(readConfig({ BOXOFFICE_DATABASE_URL: url }).database, {
    backend: 'postgres',
    url,
    poolSize: 10,
    connectionTimeoutMs: 5_000,
    statementTimeoutMs: 10_000,
  })
  const tuned = readConfig({
    BOXOFFICE_DATABASE_URL: 'postgresql://db/boxoffice',
    BOXOFFICE_DATABASE_POOL_SIZE: '25',
    BOXOFFICE_DATABASE_CONNECT_TIMEOUT_MS: '1500',
    BOXOFFICE_DATABASE_STATEMENT_TIMEOUT_MS: '30000',
  }).database
  assert.deepEqual(tuned, {
    backend: 'postgres',
    url: 'postgresql://db/boxoffice',
    poolSize: 25,
    connectionTimeoutMs: 1_500,
    statementTimeoutMs: 30_000,
  })
})

test('a PostgreSQL URL that is not one, or one beside the SQLite settings, is refused', () => {
  assert.throws(
    () => readConfig({ BOXOFFICE_DATABASE_URL: 'mysql://db/x' }),
    /^ConfigError: BOXOFFICE_DATABASE_URL must be a PostgreSQL connection string/,
  )
  assert.throws(
    () => readConfig({ BOXOFFICE_DATABASE_URL: 'postgres://db/x', BOXOFFICE_DB: '/tmp/x.db' }),
    /^ConfigError: BOXOFFICE_DB is for the SQLite database, but BOXOFFICE_DATABASE_URL names a PostgreSQL one/,
  )
  assert.throws(
    () => readConfig({ BOXOFFICE_DATABASE_URL: 'postgres://db/x', BOXOFFICE_DATABASE_POOL_SIZE: '0' }),
    /^ConfigError: BOXOFFICE_DATABASE_POOL_SIZE must be an integer greater than 0/,
  )
})

test('a bad value is refused with an error naming the variable', () => {
  assert.throws(
    () => readConfig({ PORT: 'abc' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      assert.equal(error.message, 'PORT must be an integer from 0 to 65535; got "abc"')
      return true
    },
  )
  assert.throws(() => readConfig({ PORT: '70000' }), /^ConfigError: PORT/)
  assert.throws(() => readConfig({ BOXOFFICE_SYNCHRONOUS: 'OFF' }), /BOXOFFICE_SYNCHRONOUS must be NORMAL or FULL; got "OFF"/)
  assert.throws(
    () => readConfig({ BOXOFFICE_VERIFY_THREADS: '-1' }),
    /BOXOFFICE_VERIFY_THREADS must be an integer from 0 .* to 64; got "-1"/,
  )
  assert.throws(() => readConfig({ BOXOFFICE_VERIFY_THREADS: '65' }), /^ConfigError: BOXOFFICE_VERIFY_THREADS/)
  assert.throws(
    () => readConfig({ BOXOFFICE_VERIFY_LIBRARY: 'nacl' }),
    /^ConfigError: BOXOFFICE_VERIFY_LIBRARY must be auto, libsodium or openssl; got "nacl"/,
  )
  for (const ttl of ['0', '-1', 'soon', '9000']) {
    assert.throws(
      () => readConfig({ BOXOFFICE_SESSION_TTL_HOURS: ttl }),
      /^ConfigError: BOXOFFICE_SESSION_TTL_HOURS must be a number greater than 0/,
    )
  }
  for (const idle of ['0', '4', '4.5', '10081', 'never']) {
    assert.throws(
      () => readConfig({ BOXOFFICE_SESSION_IDLE_MINUTES: idle }),
      /^ConfigError: BOXOFFICE_SESSION_IDLE_MINUTES must be an integer from 5 to 10080/,
    )
  }
  assert.throws(() => readConfig({ BOXOFFICE_LOGIN_FAILURES_PER_MINUTE: '2.5' }), /must be an integer/)
  for (const name of ['BOXOFFICE_PDF_THREADS', 'BOXOFFICE_EXPORTS_PER_ACCOUNT', 'BOXOFFICE_EXPORTS_TOTAL']) {
    assert.throws(() => readConfig({ [name]: '0' }), new RegExp(`^ConfigError: ${name} must be an integer greater than 0`))
  }
})

test('a sign-in lasts at most 7 days: BOXOFFICE_SESSION_TTL_HOURS above 168 is refused, saying so', () => {
  assert.equal(readConfig({ BOXOFFICE_SESSION_TTL_HOURS: '168' }).sessionTtlHours, 168)
  assert.throws(
    () => readConfig({ BOXOFFICE_SESSION_TTL_HOURS: '168.5' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      assert.equal(error.message, 'BOXOFFICE_SESSION_TTL_HOURS must be a number greater than 0 and at most 168 (7 days); got "168.5"')
      return true
    },
  )
})

test('BOXOFFICE_TRUST_PROXY=true is refused: it would trust every hop, so X-Forwarded-For could name any client', () => {
  for (const value of ['true', 'TRUE', ' True ']) {
    assert.throws(
      () => readConfig({ BOXOFFICE_TRUST_PROXY: value }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.match(error.message, /^BOXOFFICE_TRUST_PROXY=true would trust every hop/)
        // Says what to write instead.
        assert.match(error.message, /the proxy's addresses or CIDRs.*e\.g\. 127\.0\.0\.1 or 10\.0\.0\.0\/8.*or the number of proxies/)
        return true
      },
    )
  }
})

test('BOXOFFICE_TRUST_PROXY takes proxy addresses and CIDRs, or a hop count; anything else is refused naming the entry', () => {
  assert.equal(readConfig({ BOXOFFICE_TRUST_PROXY: 'false' }).trustProxy, false)
  assert.equal(readConfig({ BOXOFFICE_TRUST_PROXY: '127.0.0.1' }).trustProxy, '127.0.0.1')
  assert.equal(readConfig({ BOXOFFICE_TRUST_PROXY: ' 10.0.0.0/8 , ::1, fd00::/8 ' }).trustProxy, '10.0.0.0/8,::1,fd00::/8')
  assert.equal(readConfig({ BOXOFFICE_TRUST_PROXY: 'loopback,uniquelocal' }).trustProxy, 'loopback,uniquelocal')
  assert.equal(readConfig({ BOXOFFICE_TRUST_PROXY: '1' }).trustProxy, 1)
  assert.equal(readConfig({ BOXOFFICE_TRUST_PROXY: '2' }).trustProxy, 2)
  const refused: [string, string][] = [
    ['proxy.example', 'proxy.example'],
    ['10.0.0.0/33', '10.0.0.0/33'],
    ['127.0.0.1,,::1', '""'],
    ['256.1.1.1', '256.1.1.1'],
    ['0', '0'],
    ['-1', '-1'],
    ['1.5', '1.5'],
  ]
  for (const [value, named] of refused) {
    assert.throws(
      () => readConfig({ BOXOFFICE_TRUST_PROXY: value }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, value)
        assert.ok(error.message.startsWith('BOXOFFICE_TRUST_PROXY '), error.message)
        assert.ok(error.message.includes(named), `${value}: ${error.message}`)
        return true
      },
    )
  }
})

test('BOXOFFICE_PUBLIC_ORIGIN is an origin (scheme, host, optional port), normalised; anything else is refused', () => {
  assert.equal(readConfig({}).publicOrigin, undefined)
  assert.equal(readConfig({ BOXOFFICE_PUBLIC_ORIGIN: 'https://tickets.example.org' }).publicOrigin, 'https://tickets.example.org')
  assert.equal(readConfig({ BOXOFFICE_PUBLIC_ORIGIN: 'https://Tickets.Example.org:443/' }).publicOrigin, 'https://tickets.example.org')
  assert.equal(readConfig({ BOXOFFICE_PUBLIC_ORIGIN: 'http://boxoffice.lan:3000' }).publicOrigin, 'http://boxoffice.lan:3000')
  for (const value of [
    'tickets.example.org',
    'ftp://tickets.example.org',
    'https://tickets.example.org/app',
    'https://tickets.example.org?x=1',
    'https://user@tickets.example.org',
    'https://',
  ]) {
    assert.throws(
      () => readConfig({ BOXOFFICE_PUBLIC_ORIGIN: value }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, value)
        assert.match(error.message, /^BOXOFFICE_PUBLIC_ORIGIN must be an origin such as https:\/\/tickets\.example\.org/)
        assert.ok(error.message.includes(JSON.stringify(value)), error.message)
        return true
      },
    )
  }
})
