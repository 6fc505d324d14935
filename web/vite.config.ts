import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    // the web shares the server's zod schemas and pure helpers (they import only zod and src/shared)
    alias: {
      '@shared': here('../src/shared'),
      '@modules': here('../src/modules'),
    },
  },
  server: {
    // `npm run dev` serves the API on :3000; BANGFU_API_URL points the dev server elsewhere
    proxy: { '/api': process.env.BANGFU_API_URL ?? 'http://localhost:3000' },
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      // an import that cannot be resolved would be left bare and fail only in the browser
      // (this happened with tslib, which echarts-for-react uses without declaring it)
      onwarn(warning, warn) {
        if (warning.code === 'UNRESOLVED_IMPORT') throw new Error(`unresolved import in the web build: ${warning.message}`);
        warn(warning);
      },
    },
  },
});
