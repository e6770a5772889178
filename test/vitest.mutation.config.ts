// Vitest settings for `npm run mutation`: only the checker tests, which are what Stryker grades.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/sim/check/**/*.test.ts', 'test/reference-impl/*/checkers.test.ts', 'test/reference-impl/exec-stream/wireCheckers.test.ts'],
  },
});
