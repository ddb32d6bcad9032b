// Builds web/src/app/service-worker.ts into dist/service-worker.js with the list of
// files the build wrote, so the worker can cache exactly this build. Runs after every other plugin
// has written its files (index.html among them).
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { transformWithOxc, type Plugin } from 'vite'

export const SERVICE_WORKER_FILE = 'service-worker.js'

export function appShellServiceWorker(source: string): Plugin {
  let outDir = 'dist'
  return {
    name: 'boxoffice:app-shell-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir
    },
    async writeBundle(options, bundle) {
      const directory = options.dir ?? outDir
      // Source maps are for developers; index.html is cached under its own name by the worker.
      const files = Object.keys(bundle)
        .filter((name) => !name.endsWith('.map') && name !== 'index.html' && name !== SERVICE_WORKER_FILE)
        .sort()
      const version = createHash('sha256')
        .update(files.join('\n'))
        .update(readFileSync(join(directory, 'index.html')))
        .digest('hex')
        .slice(0, 16)
      const { code } = await transformWithOxc(readFileSync(source, 'utf8'), source, { lang: 'ts' })
      const prelude = `const APP_SHELL_FILES = ${JSON.stringify(files.map((name) => `/${name}`))};\nconst APP_SHELL_VERSION = ${JSON.stringify(version)};\n`
      writeFileSync(join(directory, SERVICE_WORKER_FILE), prelude + code)
    },
  }
}
