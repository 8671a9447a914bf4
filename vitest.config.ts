import {defineConfig} from 'vitest/config'

// In a coverage run (scripts/coverage.mjs) the in-process tests import the built dist/ instead of src/,
// loaded by Node itself (not transformed by vite), so their figures come from the same compiled code
// and source maps as the CLI processes'.
const coverage = Boolean(process.env.XV_COVERAGE_DIR)

export default defineConfig({
  resolve: coverage ? {alias: [{find: /^((?:\.\.\/)+)src\/(.+)\.js$/, replacement: '$1dist/$2.js'}]} : {},
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/env.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: {forks: {maxForks: 2, minForks: 1}},
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    server: coverage ? {deps: {external: [/\/node_modules\//, /\/dist\//]}} : {},
  },
})
