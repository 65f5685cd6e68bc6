// The fleet test imports @rlfs/agents, whose tfjs-core ships its gradient registrations only as ES modules: they
// are compiled too, as in packages/agents/jest.config.js.
const preset = require('../../jest.preset.js')(__dirname);

module.exports = {
  ...preset,
  transformIgnorePatterns: ['/node_modules/(?!@tensorflow/tfjs-core/dist/)'],
};
