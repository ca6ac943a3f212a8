// Makes `require('mta4dpr')` resolve from notebooks/ (tslab resolves like Node 10: node_modules upward),
// so notebooks import the built library exactly as a user's code would.
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '..');
const link = path.join(root, 'node_modules', 'mta4dpr');
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  const st = fs.lstatSync(link);
  if (st.isSymbolicLink() && fs.realpathSync(link) === root) process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch { /* absent */ }
fs.symlinkSync(path.relative(path.dirname(link), root), link, 'dir');
