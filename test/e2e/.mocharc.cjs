// Files named on the command line run alone; mocha would otherwise add them to the configured spec.
const named = process.argv.slice(2).some((a) => /\.(test|e2e)\.ts$/.test(a));
module.exports = {
  'node-option': ['import=tsx'],
  spec: named ? [] : ['test/e2e/**/*.test.ts'],
  reporter: 'test/support/closingLineReporter.cjs',
  timeout: 120000,
  slow: 10000,
  exit: true,
};
