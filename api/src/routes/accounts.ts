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
import { ADMIN_ONLY } from '../auth/route-roles.ts'
import { signedInAccount } from '../plugins/authentication.ts'

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
      return reply.code(201).send(toAccountView(account))
    },
  )

  app.patch(
    '/accounts/:username',
    { config, schema: { params: AccountParams, body: AccountChangeBody, response: { 200: AccountView, '4xx': ErrorBody } } },
    async (request) => {
      const account = await changeAccount(app.accounts, request.params.username, request.body)
      request.log.info({ username: account.username, change: request.body, by: signedInAccount(request).username }, 'account changed')
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
      return toAccountView(account)
    },
  )
}

export default accounts
