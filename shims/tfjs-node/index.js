// danfojs-node requires '@tensorflow/tfjs-node'; the real one downloads libtensorflow at install.
module.exports = require('@tensorflow/tfjs');
module.exports.mta4dprShim = true;
