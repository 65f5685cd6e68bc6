// Examples run as child processes (npm, tsx, bash, python3): a whole document may take a minute on a busy machine.
module.exports = { ...require('../../jest.preset.js')(__dirname), testTimeout: 300000 };
