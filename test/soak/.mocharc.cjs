// The long runs: the crash soak and the load driver against the real server, kept out of `npm test`
// (which must stay within 5 minutes) and run by .ci/run after the main suites.
const named = process.argv.slice(2).some((a) => /\.test\.ts$/.test(a));
module.exports = {
  'node-option': ['import=tsx'],
  spec: named ? [] : ['test/soak/**/*.test.ts'],
  reporter: 'test/support/closingLineReporter.cjs',
  timeout: 300000,
  slow: 60000,
  exit: true,
};
