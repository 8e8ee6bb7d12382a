'use strict'
// Reads the shared tests/vectors/*.json (KTPEL_VECTORS overrides the folder,
// for runs from the installed tarball).
const fs = require('node:fs')
const path = require('node:path')

const dir = process.env.KTPEL_VECTORS || path.join(__dirname, '..', '..', '..', 'tests', 'vectors')

module.exports = {
  dir,
  load: (name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')),
  hex: (s) => Buffer.from(s, 'hex'),
  toHex: (b) => Buffer.from(b).toString('hex').toUpperCase(),
}
