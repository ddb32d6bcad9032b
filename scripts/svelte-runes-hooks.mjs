// Node module hooks for the unit tests: a `*.svelte.ts` module (a state class with $state and
// $derived) is compiled by Svelte after tsx has stripped its types, as Vite does for the app, so
// state classes are tested in Node like any other module. Registered by svelte-runes.mjs.
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const fromWeb = createRequire(new URL('../web/package.json', import.meta.url))
let compiler

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context)
  if (!/\.svelte\.[cm]?[jt]s$/.test(new URL(url).pathname)) return loaded
  compiler ??= await import(pathToFileURL(fromWeb.resolve('svelte/compiler')).href).then((module) => module.default ?? module)
  const source = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source).toString('utf8')
  const { js } = compiler.compileModule(source, { filename: fileURLToPath(url), generate: 'client', dev: false })
  return { ...loaded, format: 'module', source: js.code }
}
