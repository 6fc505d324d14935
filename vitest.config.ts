// Three projects, run one at a time by scripts/test.mjs (`npm test`):
//   unit        pure rules, fast, fully parallel
//   integration every file runs its suite on PGlite and on the real PostgreSQL (tests/helpers/db.ts);
//               PGlite is a WASM Postgres per test context: heavy, so few workers and long timeouts
//   e2e         the real server as a child process + headless Chromium, one file at a time
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/helpers/global-setup.ts'],
          pool: 'forks',
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          maxWorkers: 1,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
