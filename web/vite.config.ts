import { fileURLToPath } from 'node:url'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'
import { appShellServiceWorker } from './vite-plugins/app-shell-service-worker.ts'

export default defineConfig({
  plugins: [svelte(), appShellServiceWorker(fileURLToPath(new URL('./src/app/service-worker.ts', import.meta.url)))],
  worker: { format: 'es' },
  // Pre-bundled up front, so the worker's first import does not trigger a re-optimization and reload.
  optimizeDeps: { include: ['comlink', 'idb'] },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  // No source maps in the build: the server would publish the app's source with them.
  build: { target: 'es2022', sourcemap: false },
})
