#!/usr/bin/env node
// Entry point of `npx mta4dpr`: runs the built CLI (npm install builds it).
require('../dist/lib/cli.js').main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
