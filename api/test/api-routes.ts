import type { TestContext } from 'node:test'
import Fastify from 'fastify'
import { boxofficeApp } from '../src/app.ts'
import { validatorCompiler } from '../src/validation.ts'
import { TEST_SCRYPT, testDatabase } from './helper.ts'

/**
 * Every route the real app declares under /api, as "METHOD /url". Read from the app itself, so a
 * test that covers each of them cannot forget a new one.
 */
export async function apiRoutesOf(t: TestContext) {
  const app = Fastify()
  app.setValidatorCompiler(validatorCompiler)
  const routes: string[] = []
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (route.url.startsWith('/api')) routes.push(`${method} ${route.url}`)
  })
  await app.register(boxofficeApp, { database: await testDatabase(t), scrypt: TEST_SCRYPT })
  await app.ready()
  t.after(() => app.close())
  return { app, routes }
}
