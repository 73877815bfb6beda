import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console builds to static files in dist/, which the relay serves at `/`. Every screen but the
 * flags list is its own chunk (React.lazy), so the first load stays small; no inline script is
 * emitted, so the relay's Content-Security-Policy can forbid them.
 */
export default defineConfig({
  plugins: [react()],
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
