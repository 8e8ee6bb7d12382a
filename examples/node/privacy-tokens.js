'use strict'
// Tokenize NIKs under an agency key and log every access tamper-evidently.
//   node examples/node/privacy-tokens.js [LOG]
const os = require('node:os')
const path = require('node:path')
const fs = require('node:fs')
const { privacy } = require('ktpel')

async function main() {
  const key = privacy.TokenKey.generate('DEMO') // real keys: privacy.TokenKey.fromJwk(fs.readFileSync('key.jwk', 'utf8'))
  const file = process.argv[2] || path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ktpel-')), 'akses.log')
  const log = new privacy.AuditLog(file)
  const niks = ['3174015708900123', '3174011708900123', '317401570890012']
  const results = await privacy.tokenizeMany(key, niks)
  niks.forEach((nik, i) => {
    const { token, code } = results[i]
    console.log(nik.padEnd(18), token ?? code)
    log.append('example-node', token ?? '', 'contoh', token ? 'TOKENIZED' : code)
  })
  console.log('element token:', privacy.tokenizeElement(key, 'HJ. SITI AMINAH', '1990-08-17'))
  log.close()
  const r = await privacy.verifyLog(file)
  console.log(`log ${file}: ${r.valid ? 'intact' : 'DAMAGED ' + r.code}, ${r.entries} entries`)
}

main().catch((e) => {
  console.error(e.code, e.message)
  process.exit(1)
})
