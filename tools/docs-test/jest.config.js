// Examples run as child processes (npm, tsx, bash, python3) one after another per page: a whole page may take a few
// minutes on a machine busy with other tests. No test here measures time; the limits only stop a hung example.
module.exports = { ...require('../../jest.preset.js')(__dirname), testTimeout: 600000 };
