// Files named on the command line run alone (`npx mocha test/unit/x.test.ts`); mocha would otherwise add
// them to the configured spec and run the whole suite.
const named = process.argv.slice(2).some((a) => /\.(test|e2e)\.ts$/.test(a));
module.exports = {
  'node-option': ['import=tsx'],
  // Test databases reset and reused, dropped at the end of the run (test/support/pgDatabase.ts).
  require: ['test/support/rootHooks.ts'],
  spec: named ? [] : ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
  reporter: 'test/support/closingLineReporter.cjs',
  timeout: 20000,
  exit: true,
};
