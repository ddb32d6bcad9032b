import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'vite'

export default defineConfig({
  plugins: [svelte()],
  worker: { format: 'es' },
  // Pre-bundled up front, so the worker's first import does not trigger a re-optimization and reload.
  optimizeDeps: { include: ['comlink', 'idb'] },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  build: { target: 'es2022', sourcemap: true },
})
