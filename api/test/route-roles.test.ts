// Every role on every route (docs/api.md, "Roles, and the routes each may use"): the expected
// table is written out here, apart from the routes' own config, so that a route given the wrong
// rule, or a new route, fails this test until the table and the docs say what it should be.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { AccountRole } from '@boxoffice/tickets'
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@boxoffice/tickets'
import { CHUNK_RUN_PATH } from '../src/routes/chunks.ts'
import { apiRoutesOf } from './api-routes.ts'
import { addTestAccount, clientOf, openApp, sessionTokenOf, signIn, testDatabase } from './helper.ts'

const ALL: AccountRole[] = ['admin', 'staff', 'gate']
const STAFF: AccountRole[] = ['admin', 'staff']
const ADMIN: AccountRole[] = ['admin']
/** Routes anyone may call, or any signed-in account whatever its role (they check the session themselves). */
const OPEN = 'open'

const EXPECTED: Record<string, AccountRole[] | typeof OPEN> = {
  'GET /api/health': OPEN,
  'HEAD /api/health': OPEN,
  'POST /api/session': OPEN,
  'GET /api/session': OPEN,
  'HEAD /api/session': OPEN,
  'DELETE /api/session': OPEN,
  'DELETE /api/sessions': OPEN,
  'PUT /api/session/password': OPEN,
  'POST /api/checkins': ALL,
  'POST /api/checkins/sync': ALL,
  'GET /api/checkin-kit': ALL,
  'HEAD /api/checkin-kit': ALL,
  'GET /api/checkin-kit/events': ALL,
  'HEAD /api/checkin-kit/events': ALL,
  'GET /api/checkin-kit/batches': ALL,
  'HEAD /api/checkin-kit/batches': ALL,
  'POST /api/batches': STAFF,
  'GET /api/batches': STAFF,
  'HEAD /api/batches': STAFF,
  'GET /api/batches/:id': STAFF,
  'HEAD /api/batches/:id': STAFF,
  'POST /api/batches/:id/complete': STAFF,
  'POST /api/batches/:id/cancel': STAFF,
  'PUT /api/batches/:id/chunks/:index': STAFF,
  [`PUT /api${CHUNK_RUN_PATH}`]: STAFF,
  'POST /api/tokens/verify': STAFF,
  'GET /api/batches/:id/tickets.csv': STAFF,
  'GET /api/batches/:id/tickets.pdf': STAFF,
  'GET /api/batches/:id/tickets.pdf/parts': STAFF,
  'HEAD /api/batches/:id/tickets.pdf/parts': STAFF,
  'POST /api/batches/:id/tickets/:serial/revoke': STAFF,
  'POST /api/batches/:id/revoke': STAFF,
  'POST /api/events': STAFF,
  'GET /api/events': STAFF,
  'HEAD /api/events': STAFF,
  'GET /api/events/:id': STAFF,
  'HEAD /api/events/:id': STAFF,
  'PATCH /api/events/:id': STAFF,
  'PUT /api/events/:id/ticket-types/:typeId': STAFF,
  'GET /api/events/:id/dashboard': STAFF,
  'HEAD /api/events/:id/dashboard': STAFF,
  'GET /api/accounts': ADMIN,
  'HEAD /api/accounts': ADMIN,
  'POST /api/accounts': ADMIN,
  'PATCH /api/accounts/:username': ADMIN,
  'PUT /api/accounts/:username/password': ADMIN,
  'GET /api/devices': ADMIN,
  'HEAD /api/devices': ADMIN,
  'POST /api/devices': ADMIN,
  'POST /api/devices/:id/revoke': ADMIN,
  'GET /api/devices/refused-checkins': ADMIN,
  'HEAD /api/devices/refused-checkins': ADMIN,
  'GET /api/audit': ADMIN,
  'HEAD /api/audit': ADMIN,
  'GET /api/audit.csv': ADMIN,
  'GET /api/tickets/lookup': STAFF,
  'HEAD /api/tickets/lookup': STAFF,
}

/** A concrete URL for a route pattern; the ids need not exist (the role check comes first). */
function urlOf(pattern: string): string {
  return pattern
    .replace(CHUNK_RUN_PATH.slice(CHUNK_RUN_PATH.indexOf(':first')), '0-1')
    .replace(':id', crypto.randomUUID())
    .replace(':typeId', crypto.randomUUID())
    .replace(':index', '0')
    .replace(':serial', '0')
    .replace(':username', 'nobody')
}

test('every role on every route gets exactly the answer the roles table gives', async (t) => {
  const { routes } = await apiRoutesOf(t)
  assert.deepEqual([...routes].sort(), Object.keys(EXPECTED).sort(), 'the table names every route the app has, and no other')

  const app = await openApp(t, await testDatabase(t))
  const clients = Object.fromEntries(
    await Promise.all(
      ALL.map(async (role) => {
        await addTestAccount(app, `a-${role}`, role)
        return [role, (await signIn(app, `a-${role}`)).api] as const
      }),
    ),
  )
  const refused: string[] = []
  const wrong: string[] = []
  for (const route of routes) {
    const [method, pattern] = route.split(' ') as [string, string]
    const rule = EXPECTED[route]!
    if (rule === OPEN) continue
    for (const role of ALL) {
      const response = await clients[role]!.inject({
        method: method as 'GET',
        url: urlOf(pattern),
        headers: { [CSRF_HEADER]: CSRF_HEADER_VALUE },
        ...(['POST', 'PUT', 'PATCH'].includes(method) ? { payload: {} } : {}),
      })
      const forbidden = response.statusCode === 403 && (method === 'HEAD' || response.json().error.code === 'ROLE_FORBIDDEN')
      if (response.statusCode >= 500) wrong.push(`${role} ${route}: ${response.statusCode}`)
      if (rule.includes(role) && forbidden) wrong.push(`${role} ${route}: refused, but the table allows it`)
      if (!rule.includes(role) && !forbidden) wrong.push(`${role} ${route}: ${response.statusCode}, but the table refuses it`)
      if (!rule.includes(role)) refused.push(`${role} ${route}`)
    }
  }
  assert.deepEqual(wrong, [])
  assert.ok(refused.length > 30, 'the gate and staff roles were refused somewhere')
})

test('a route behind a session without a role rule fails to register', async (t) => {
  const { requireRoleRule } = await import('../src/auth/route-roles.ts')
  const Fastify = (await import('fastify')).default
  const app = Fastify()
  t.after(() => app.close())
  app.addHook('onRoute', requireRoleRule)
  app.get('/ruled', { config: { roles: ['admin'] } }, async () => 'ok')
  assert.throws(() => app.get('/unruled', async () => 'no'), /GET \/unruled: a route behind a session must say which roles may use it/)
})

test('an account with a temporary password may only see its session and change the password', async (t) => {
  const app = await openApp(t, await testDatabase(t))
  await addTestAccount(app, 'boss', 'admin')
  const { api: admin } = await signIn(app, 'boss')
  const created = await admin.inject({
    method: 'POST',
    url: '/api/accounts',
    payload: { username: 'Gate-4', role: 'gate', temporaryPassword: 'first one 1' },
  })
  assert.equal(created.statusCode, 201, created.body)
  const { createdAt, ...view } = created.json() as Record<string, unknown>
  assert.deepEqual(view, { username: 'gate-4', role: 'gate', disabled: false, mustChangePassword: true })
  assert.equal(typeof createdAt, 'string')

  const { api: gate } = await signIn(app, 'gate-4', 'first one 1')
  assert.equal((await gate.inject({ method: 'GET', url: '/api/session' })).json().mustChangePassword, true)
  const kit = await gate.inject({ method: 'GET', url: '/api/checkin-kit/events' })
  assert.equal(kit.statusCode, 403)
  assert.equal(kit.json().error.code, 'PASSWORD_CHANGE_REQUIRED')

  const wrong = await gate.inject({
    method: 'PUT',
    url: '/api/session/password',
    payload: { currentPassword: 'not it', newPassword: 'my own secret' },
  })
  assert.equal(wrong.statusCode, 403)
  assert.equal(wrong.json().error.code, 'WRONG_PASSWORD')
  const short = await gate.inject({
    method: 'PUT',
    url: '/api/session/password',
    payload: { currentPassword: 'first one 1', newPassword: 'short' },
  })
  assert.equal(short.statusCode, 400)
  assert.match(short.json().error.message, /at least 8/)
  const changed = await gate.inject({
    method: 'PUT',
    url: '/api/session/password',
    payload: { currentPassword: 'first one 1', newPassword: 'my own secret' },
  })
  assert.equal(changed.statusCode, 200, changed.body)
  assert.deepEqual(changed.json(), { username: 'gate-4', role: 'gate', mustChangePassword: false })
  // The old session ended with the change; the new cookie works, and the gate may now check in.
  assert.equal((await gate.inject({ method: 'GET', url: '/api/session' })).statusCode, 401)
  const renewed = clientOf(app, sessionTokenOf(changed))
  assert.equal((await renewed.inject({ method: 'GET', url: '/api/checkin-kit/events' })).statusCode, 200)
  assert.equal((await renewed.inject({ method: 'GET', url: '/api/batches' })).json().error.code, 'ROLE_FORBIDDEN')
})

test('admins list, change, disable and enable accounts, set temporary passwords, and cannot remove the last admin', async (t) => {
  const app = await openApp(t, await testDatabase(t))
  await addTestAccount(app, 'boss', 'admin')
  await addTestAccount(app, 'sam', 'staff')
  const { api: admin } = await signIn(app, 'boss')
  const { api: sam } = await signIn(app, 'sam')

  const listed = await admin.inject({ method: 'GET', url: '/api/accounts' })
  assert.deepEqual(
    listed.json().accounts.map((account: { username: string; role: string }) => `${account.username}:${account.role}`),
    ['boss:admin', 'sam:staff'],
  )
  assert.doesNotMatch(listed.body, /scrypt/)

  const taken = await admin.inject({
    method: 'POST',
    url: '/api/accounts',
    payload: { username: 'SAM', role: 'gate', temporaryPassword: 'long enough' },
  })
  assert.equal(taken.json().error.code, 'ACCOUNT_CONFLICT')
  const badName = await admin.inject({
    method: 'POST',
    url: '/api/accounts',
    payload: { username: 'a b', role: 'gate', temporaryPassword: 'long enough' },
  })
  assert.equal(badName.statusCode, 400)
  assert.match(badName.json().error.message, /username "a b" must be/)

  const demoted = await admin.inject({ method: 'PATCH', url: '/api/accounts/sam', payload: { role: 'gate' } })
  assert.equal(demoted.json().role, 'gate')
  assert.equal(
    (await sam.inject({ method: 'GET', url: '/api/batches' })).json().error.code,
    'ROLE_FORBIDDEN',
    'the new role applies at once',
  )

  const disabled = await admin.inject({ method: 'PATCH', url: '/api/accounts/sam', payload: { disabled: true } })
  assert.equal(disabled.json().disabled, true)
  assert.equal((await sam.inject({ method: 'GET', url: '/api/session' })).statusCode, 401, 'her sessions ended')
  assert.equal((await admin.inject({ method: 'PATCH', url: '/api/accounts/sam', payload: { disabled: false } })).json().disabled, false)

  const temporary = await admin.inject({ method: 'PUT', url: '/api/accounts/sam/password', payload: { temporaryPassword: 'temporary 22' } })
  assert.equal(temporary.json().mustChangePassword, true)
  assert.equal((await signIn(app, 'sam', 'temporary 22')).token.length > 0, true)

  const last = await admin.inject({ method: 'PATCH', url: '/api/accounts/boss', payload: { disabled: true } })
  assert.equal(last.statusCode, 409)
  assert.equal(last.json().error.code, 'LAST_ADMIN')
  assert.equal(
    (await admin.inject({ method: 'PATCH', url: '/api/accounts/boss', payload: { role: 'staff' } })).json().error.code,
    'LAST_ADMIN',
  )
  assert.equal(
    (await admin.inject({ method: 'PATCH', url: '/api/accounts/nobody', payload: { role: 'staff' } })).json().error.code,
    'ACCOUNT_NOT_FOUND',
  )
  const empty = await admin.inject({ method: 'PATCH', url: '/api/accounts/sam', payload: {} })
  assert.equal(empty.statusCode, 400)
})
