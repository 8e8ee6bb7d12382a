'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const { sam } = require('ktpel')
const { load, hex, toHex } = require('./vectors.js')

const v = load('sam.json')

test('sam.json: NIST SHA-256, TDES ECB/CBC, retail MACs', () => {
  assert.equal(v.sha256.length, 4)
  for (const c of v.sha256) {
    const msg = c.message_ascii !== undefined ? Buffer.from(c.message_ascii) : Buffer.from(c.message_ascii_repeat.text.repeat(c.message_ascii_repeat.count))
    assert.equal(toHex(sam.sha256(msg)), c.digest, c.source)
  }
  for (const c of v.tdes_ecb) {
    const pt = hex(c.plaintext)
    const blocks = []
    for (let i = 0; i < pt.length; i += 8) blocks.push(sam.tdesEncryptCbc(hex(c.key), Buffer.alloc(8), pt.subarray(i, i + 8)))
    assert.equal(toHex(Buffer.concat(blocks)), c.ciphertext)
  }
  assert.equal(v.tdes_cbc.length, 2)
  for (const c of v.tdes_cbc) {
    const ct = sam.tdesEncryptCbc(hex(c.key), hex(c.iv), hex(c.plaintext))
    assert.equal(toHex(ct), c.ciphertext)
    assert.equal(toHex(sam.tdesDecryptCbc(hex(c.key), hex(c.iv), ct)), c.plaintext)
  }
  assert.equal(v.retail_mac.length, 6)
  for (const c of v.retail_mac) {
    assert.equal(toHex(sam.retailMac(hex(c.key), hex(c.data), c.padding)), c.mac)
  }
})

test('sam.json: ICAO Appendix D key derivation', () => {
  const d2 = v.icao9303_appendix_d.D2_key_derivation
  const info = sam.mrzInformation(d2.document_number.replace(/<+$/, ''), d2.date_of_birth, d2.date_of_expiry)
  assert.equal(info, d2.mrz_information)
  const seed = sam.icaoKeySeed(info)
  assert.equal(toHex(seed), d2.k_seed)
  assert.equal(toHex(sam.kdf('icao', seed, 1)), d2.k_enc)
  assert.equal(toHex(sam.kdf('icao', seed, 2)), d2.k_mac)
})

test('sam.json: Appendix D state machine with the published card answers, then secure messaging', () => {
  const icao = v.icao9303_appendix_d
  const d3 = icao.D3_authentication_and_session_keys
  const auth = new sam.MutualAuth({ mrz: icao.D2_key_derivation.mrz_information }, hex(d3.rnd_ifd), hex(d3.k_ifd))
  assert.equal(toHex(auth.getChallenge()), d3.get_challenge_apdu)
  const ma = auth.onChallenge(Buffer.concat([hex(d3.rnd_ic), Buffer.from([0x90, 0x00])]))
  assert.equal(toHex(ma), d3.mutual_authenticate_apdu)
  const sm = auth.onAuthenticate(Buffer.concat([hex(d3.resp_data), Buffer.from([0x90, 0x00])]))
  assert.equal(sm.ssc, d3.ssc)
  assert.throws(() => auth.getChallenge(), { code: 'SAM_SESSION_CLOSED' })
  for (const step of icao.D4_secure_messaging.steps) {
    assert.equal(toHex(sm.protect(hex(step.unprotected_apdu))), step.protected_apdu, step.name)
    assert.equal(sm.ssc, step.ssc_command)
    const r = sm.unprotect(hex(step.rapdu))
    assert.equal(sm.ssc, step.ssc_response)
    assert.equal(toHex(r.data), step.decrypted_data, step.name)
    assert.equal(r.sw, 0x9000)
  }
})

test('sam.json: KTP-el and recomputed ICAO profile sessions (OpenSSL values)', () => {
  for (const [key, profile] of [['ktpel_session', 'ktpel'], ['icao_profile_recomputed', 'icao']]) {
    const k = v[key]
    assert.equal(toHex(sam.kdf(profile, hex(k.k_seed), 1)), k.k_enc)
    assert.equal(toHex(sam.kdf(profile, hex(k.k_seed), 2)), k.k_mac)
    const auth = new sam.MutualAuth({ profile, seed: hex(k.k_seed) }, hex(k.rnd_ifd), hex(k.k_ifd))
    auth.getChallenge()
    const ma = auth.onChallenge(Buffer.concat([hex(k.rnd_ic), Buffer.from([0x90, 0x00])]))
    assert.equal(toHex(ma), k.mutual_authenticate_apdu, key)
    const sm = auth.onAuthenticate(Buffer.concat([hex(k.resp_data), Buffer.from([0x90, 0x00])]))
    assert.equal(sm.ssc, k.ssc)
    assert.equal(toHex(sm.protect(hex(k.read_binary.unprotected_apdu))), k.read_binary.protected_apdu, key)
    assert.equal(toHex(sm.unprotect(hex(k.read_binary.rapdu)).data), k.read_binary.plain_data, key)
  }
})

test('virtual chip: authenticate, read the biodata file over secure messaging; wrong keys fail', () => {
  const seed = Buffer.from('000102030405060708090A0B0C0D0E0F', 'hex')
  const chip = sam.VirtualChip.demo('ktpel', seed, 7)
  const auth = new sam.MutualAuth({ profile: 'ktpel', seed })
  const ma = auth.onChallenge(chip.process(auth.getChallenge()))
  const sm = auth.onAuthenticate(chip.process(ma))
  const select = sam.apdu.encode({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: Buffer.from([0x01, 0x01]) })
  assert.equal(sm.unprotect(chip.process(sm.protect(select))).sw, 0x9000)
  const read = sam.apdu.encode({ cla: 0, ins: 0xb0, p1: 0, p2: 0, data: Buffer.alloc(0), le: 32 })
  const r = sm.unprotect(chip.process(sm.protect(read)))
  assert.equal(r.sw, 0x9000)
  assert.match(r.data.toString('latin1'), /^NIK=3174095708900003;/)
  assert.deepEqual(sam.apdu.parse(read), { cla: 0, ins: 0xb0, p1: 0, p2: 0, data: Buffer.alloc(0), le: 32 })

  const chip2 = sam.VirtualChip.demo('ktpel', seed, 8)
  const wrong = new sam.MutualAuth({ profile: 'ktpel', seed: Buffer.alloc(16, 0x55) })
  const ma2 = wrong.onChallenge(chip2.process(wrong.getChallenge()))
  assert.throws(() => wrong.onAuthenticate(chip2.process(ma2)), (e) => e instanceof Error && /^[A-Z_]+$/.test(e.code))
  assert.throws(() => sam.tdesEncryptCbc(Buffer.alloc(5), Buffer.alloc(8), Buffer.alloc(8)), { code: 'SAM_INVALID_KEY' })
})

test('ECDSA P-256 verify: the chip key signs, a flipped bit fails', () => {
  // RFC 6979 A.2.5 public key and the SHA-256 signature of "sample".
  const pub = Buffer.concat([Buffer.from([4]),
    hex('60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6'),
    hex('7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299')])
  const sig = hex('EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8')
  sam.ecdsaP256Verify(pub, Buffer.from('sample'), sig)
  const bad = Buffer.from(sig)
  bad[10] ^= 1
  assert.throws(() => sam.ecdsaP256Verify(pub, Buffer.from('sample'), bad), (e) => e instanceof Error && /^[A-Z_]+$/.test(e.code))
})
