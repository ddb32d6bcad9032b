// `node --import ./scripts/svelte-runes.mjs`: see svelte-runes-hooks.mjs.
import { register } from 'node:module'

register('./svelte-runes-hooks.mjs', import.meta.url)
