'use strict'
// Issue an IKD QR token with fresh keys and verify it once; the second scan is refused.
const assert = require('node:assert/strict')
const { qr } = require('ktpel')

async function main() {
  const keys = qr.generateJwks('sig-demo', 'enc-demo')
  const issuer = new qr.Issuer({ jwks: keys })
  const token = issuer.issue({ iss: 'dukcapil.kemendagri.go.id', aud: 'bank-xyz', identity: { nik: '3174011501900001', nama: 'BUDI SANTOSO' } }, 90)
  console.log(token.slice(0, 40) + '…', token.length, 'chars')
  const verifier = new qr.Verifier({ jwks: qr.publicJwks(keys), audience: 'bank-xyz' })
  const claims = await verifier.verify(token)
  console.log('verified:', claims.identity.nama)
  await assert.rejects(verifier.verify(token), { code: 'REPLAYED' })
  console.log('second scan refused: REPLAYED')
}
main().catch((e) => {
  console.error(e)
  process.exit(1)
})
