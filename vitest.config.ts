// examples/ import the package by name, as a user's code does; in the checkout (no build) the
// name means the sources. tsx (the CLI) and tsc get the same mapping from tsconfig.json paths.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^execsim$/, replacement: src('./sim/lib.ts') },
      { find: /^execsim\/vitest$/, replacement: src('./sim/vitest.ts') },
    ],
  },
});
