'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const { qr } = require('ktpel')
const { load, hex, toHex } = require('./vectors.js')

const doc = load('qr.json')
const jwks = JSON.stringify(doc.keys)
const verifierJwks = JSON.stringify(doc.verifier_keys)

function verifier(v) {
  return new qr.Verifier({
    jwks: verifierJwks,
    audience: v.audience ?? undefined,
    requireEncryption: v.require_encryption,
    maxTtl: doc.verifier.max_ttl,
    leeway: doc.verifier.leeway,
  })
}

test('qr.json valid: re-issue byte for byte at every layer, verify (async) to the expected claims', async () => {
  assert.ok(doc.valid.length >= 4)
  for (const c of doc.valid) {
    const i = c.issue
    const issuer = new qr.Issuer({ jwks, signKid: i.sign_kid, encKid: i.enc_kid ?? undefined })
    if (i.enc_kid === null) {
      // A set with an encryption key encrypts by default: sign-only from the EC keys alone.
      const signOnly = JSON.stringify({ keys: doc.keys.keys.filter((k) => k.kty === 'EC') })
      const so = new qr.Issuer({ jwks: signOnly, signKid: i.sign_kid })
      const t = so.issueWith(i.claims, i.ttl, i.iat, hex(i.cti), Buffer.alloc(12))
      assert.equal(t.token, c.token, c.name)
    } else {
      const t = issuer.issueWith(i.claims, i.ttl, i.iat, hex(i.cti), hex(i.iv))
      assert.equal(t.token, c.token, c.name)
      assert.equal(toHex(t.claimsCbor), c.layers.claims_cbor, c.name)
      assert.equal(toHex(t.sign1), c.layers.sign1, c.name)
      assert.equal(toHex(t.cose), c.layers.cose, c.name)
      assert.equal(toHex(t.zlib), c.layers.zlib, c.name)
    }
    const v = verifier(c.verify)
    const claims = await v.verify(c.token, c.verify.now)
    assert.deepEqual(claims, c.expected, c.name)
    // The in-memory replay store: a second scan is refused.
    await assert.rejects(v.verify(c.token, c.verify.now), (e) => e instanceof Error && e.code === 'REPLAYED', c.name)
  }
})

test('qr.json invalid: each case rejects with its code', async () => {
  assert.ok(doc.invalid.length >= 20)
  for (const c of doc.invalid) {
    await assert.rejects(verifier(c).verify(c.token, c.now), (e) => {
      assert.ok(e instanceof Error)
      assert.equal(e.code, c.code, c.name)
      return true
    })
    assert.throws(() => verifier(c).verifySync(c.token, c.now), { code: c.code })
  }
})

test('fresh keys: generateJwks, publicJwks, issue and verify with the system clock', async () => {
  const keys = qr.generateJwks('sig-1', 'enc-1')
  const pub = qr.publicJwks(keys)
  assert.ok(!JSON.parse(pub).keys.some((k) => k.kty === 'EC' && 'd' in k))
  const token = new qr.Issuer({ jwks: keys }).issue({ iss: 'dukcapil.kemendagri.go.id', identity: { nik: '3174011501900001' } }, 60)
  assert.match(token, /^IKD1:/)
  const claims = await new qr.Verifier({ jwks: pub }).verify(token)
  assert.equal(claims.identity.nik, '3174011501900001')
  assert.throws(() => new qr.Issuer({ jwks: '{' }), (e) => e instanceof Error && /^[A-Z_]+$/.test(e.code))
  assert.throws(() => new qr.Verifier({ trustPem: [{ kid: 'x', pem: 'not pem' }] }), (e) => e instanceof Error && /^[A-Z_]+$/.test(e.code))
})
