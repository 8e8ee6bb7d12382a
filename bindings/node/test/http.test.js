'use strict'
// The node:http IKD QR verification example, exercised on 127.0.0.1.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { qr } = require('ktpel')

const examples = process.env.KTPEL_EXAMPLES || path.join(__dirname, '..', '..', '..', 'examples', 'node')
// The example does require('ktpel'): let it find the package under test from
// its own folder (in a checkout it has no node_modules of its own).
{
  const fs = require('node:fs')
  const os = require('node:os')
  const Module = require('node:module')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktpel-path-'))
  fs.symlinkSync(path.dirname(require.resolve('ktpel/package.json')), path.join(dir, 'ktpel'))
  process.env.NODE_PATH = [dir, process.env.NODE_PATH].filter(Boolean).join(path.delimiter)
  Module._initPaths()
}
const { createService } = require(path.join(examples, 'qr-service.js'))

test('qr-service answers sesuai / tidak sesuai over loopback', async () => {
  const keys = qr.generateJwks('sig-http', 'enc-http')
  const issuer = new qr.Issuer({ jwks: keys })
  const claims = { iss: 'dukcapil.kemendagri.go.id', aud: 'bank-xyz', identity: { nik: '3174011501900001', nama: 'BUDI SANTOSO' } }
  const server = createService({ jwks: qr.publicJwks(keys), audience: 'bank-xyz' })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${server.address().port}/verify`
  const post = async (body) => (await fetch(url, { method: 'POST', body: JSON.stringify(body) })).json()
  try {
    const t1 = issuer.issue(claims, 90)
    assert.deepEqual(await post({ token: t1, nik: '3174011501900001' }), { result: 'sesuai', nama: 'BUDI SANTOSO' })
    assert.deepEqual(await post({ token: t1, nik: '3174011501900001' }), { result: 'tidak sesuai', code: 'REPLAYED' })
    const t2 = issuer.issue(claims, 90)
    assert.deepEqual(await post({ token: t2, nik: '3174010000000000' }), { result: 'tidak sesuai', code: 'NIK_MISMATCH' })
    const other = new qr.Issuer({ jwks: qr.generateJwks('sig-x', 'enc-x') }).issue(claims, 90)
    const r = await post({ token: other })
    assert.equal(r.result, 'tidak sesuai')
    assert.match(r.code, /^[A-Z_]+$/)
    assert.equal((await post({ token: 'garbage' })).result, 'tidak sesuai')
  } finally {
    await new Promise((r) => server.close(r))
  }
})
