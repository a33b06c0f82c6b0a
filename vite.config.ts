import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The demo portal page (src/demo/web) built to dist/demo; `npm start` builds it and serves it.
export default defineConfig({
  root: here('./src/demo/web'),
  publicDir: here('./public'),
  plugins: [react()],
  build: {
    outDir: here('./dist/demo'),
    emptyOutDir: true,
    sourcemap: true,
  },
});
