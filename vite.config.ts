import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const repo = fileURLToPath(new URL('.', import.meta.url));

/**
 * The staff app: built into dist/web, which the server serves at /app/. In development
 * (`npx vite`), API calls are proxied to the server started with `npm run dev`.
 */
export default defineConfig({
  root: `${repo}src/web`,
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: `${repo}dist/web`,
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
