import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console is built once into dist-console/ and served by the service itself
 * (src/http/admin.ts). `base: './'` keeps every URL relative, so it works under
 * whatever prefix a host mounts punchcard at.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist-console/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    modulePreload: { polyfill: false },
  },
});
