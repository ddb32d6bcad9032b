import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AccountChangeBody,
  AccountList,
  AccountParams,
  AccountView,
  ErrorBody,
  NewAccountBody,
  TemporaryPasswordBody,
} from '@boxoffice/tickets'
import { changeAccount, createAccountWithTemporaryPassword, setTemporaryPassword, toAccountView } from '../auth/account-admin.ts'
import { normalizeUsername } from '../auth/accounts.ts'
import { ADMIN_ONLY } from '../auth/route-roles.ts'
import { signedInAccount } from '../plugins/authentication.ts'
import { recordAudit } from '../audit/audit-trail.ts'

/** The Admin page's accounts: admins only. A person's own password is PUT /api/session/password. */
const accounts: FastifyPluginAsyncTypebox = async (app) => {
  const config = { roles: ADMIN_ONLY }

  app.get('/accounts', { config, schema: { response: { 200: AccountList, '4xx': ErrorBody } } }, async () => ({
    accounts: (await app.accounts.listAccounts()).map(toAccountView),
  }))

  app.post(
    '/accounts',
    { config, schema: { body: NewAccountBody, response: { 201: AccountView, '4xx': ErrorBody } } },
    async (request, reply) => {
      const account = await createAccountWithTemporaryPassword(app.accounts, request.body, app.passwords.scrypt)
      request.log.info({ username: account.username, role: account.role, by: signedInAccount(request).username }, 'account created')
      await recordAudit(request, 'account.created', account.username, { role: account.role })
      return reply.code(201).send(toAccountView(account))
    },
  )

  app.patch(
    '/accounts/:username',
    { config, schema: { params: AccountParams, body: AccountChangeBody, response: { 200: AccountView, '4xx': ErrorBody } } },
    async (request) => {
      const before = await app.accounts.findAccount(normalizeUsername(request.params.username))
      const account = await changeAccount(app.accounts, request.params.username, request.body)
      request.log.info({ username: account.username, change: request.body, by: signedInAccount(request).username }, 'account changed')
      if (before && before.role !== account.role) {
        await recordAudit(request, 'account.role_changed', account.username, { from: before.role, to: account.role })
      }
      const wasDisabled = before?.disabledAt !== null
      const isDisabled = account.disabledAt !== null
      if (wasDisabled !== isDisabled) await recordAudit(request, isDisabled ? 'account.disabled' : 'account.enabled', account.username)
      return toAccountView(account)
    },
  )

  app.put(
    '/accounts/:username/password',
    { config, schema: { params: AccountParams, body: TemporaryPasswordBody, response: { 200: AccountView, '4xx': ErrorBody } } },
    async (request) => {
      const account = await setTemporaryPassword(
        app.accounts,
        request.params.username,
        request.body.temporaryPassword,
        app.passwords.scrypt,
      )
      request.log.info({ username: account.username, by: signedInAccount(request).username }, 'temporary password set')
      await recordAudit(request, 'account.temporary_password', account.username)
      return toAccountView(account)
    },
  )
}

export default accounts
