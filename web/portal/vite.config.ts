import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The API the dev server proxies to (`npm start` listens on 4000 by default).
const api = process.env.PORTAL_API_URL || 'http://127.0.0.1:4000';

export default defineConfig({
  root: __dirname,
  base: '/portal/',
  plugins: [react()],
  build: {
    // Served by the API from dist/portal-page (src/portal-page.ts).
    outDir: path.resolve(__dirname, '../../dist/portal-page'),
    emptyOutDir: true,
    // No inline polyfill script: the CSP allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    port: 5173,
    proxy: {
      '/portal/graphql': api,
      '/attachments': api,
    },
  },
});
