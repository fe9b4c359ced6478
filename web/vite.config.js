import { defineConfig } from 'vite';

// The Rust binary serves dist/; during `npm run dev`, API calls go to it.
export default defineConfig({
  build: { outDir: 'dist', chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
