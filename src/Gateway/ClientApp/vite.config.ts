import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// One config for the app build and the unit tests, so tests see the same JSX transform as the app.
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    // The gateway's CSP allows data: only for images; keep every other asset a file so nothing is inlined as data:.
    assetsInlineLimit: 0,
  },
  test: {
    // browser-tests/ drives a real Chromium against a running gateway; it is not a unit test.
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
