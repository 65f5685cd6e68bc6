// tfjs-core ships its gradient registrations only as ES modules (dist/register_all_gradients.js and what it
// imports); Jest runs CommonJS, so those files are compiled too. They register into tfjs's global registry,
// which the CommonJS bundle shares.
const preset = require('../../jest.preset.js')(__dirname);

module.exports = {
  ...preset,
  transformIgnorePatterns: ['/node_modules/(?!@tensorflow/tfjs-core/dist/)'],
};
