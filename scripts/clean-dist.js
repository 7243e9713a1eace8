// Builds start from an empty dist/: a file left by an earlier layout (e.g. dist/src/db/entities.js
// after entities became a folder) would otherwise be resolved before the new index.js.
require('fs').rmSync(require('path').join(__dirname, '..', 'dist'), { recursive: true, force: true });
