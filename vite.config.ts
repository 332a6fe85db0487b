import { defineConfig } from 'vite';

// The client lives in client/ and builds to dist/client, which the Koa server serves.
// `npm run dev` proxies /api to a server on :3000 (start it with ORIGINS including :5173).
export default defineConfig({
  root: 'client',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // Keeps every script an external file, as the CSP (script-src 'self') requires.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000', '/healthz': 'http://localhost:3000' },
  },
});
