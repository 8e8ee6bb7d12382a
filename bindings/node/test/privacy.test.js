'use strict'
// ktpel.privacy against tests/vectors/privacy.json, plus a log file round trip.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { privacy } = require('ktpel')
const { load, hex } = require('./vectors.js')

const V = load('privacy.json')
const REF = '2026-01-01'
const key = () => new privacy.TokenKey(V.token_key.kid, hex(V.token_key.secret))

test('NIK tokens match the vectors (and JWK keys, other keys)', () => {
  const k = key()
  const jk = privacy.TokenKey.fromJwk(V.token_key.jwk)
  const other = new privacy.TokenKey(V.token_key.kid, hex(V.token_key.other_secret))
  assert.equal(k.kid, V.token_key.kid)
  for (const c of V.nik_tokens) {
    assert.equal(privacy.tokenizeNik(k, c.nik, REF), c.token)
    assert.equal(privacy.tokenizeNik(jk, c.nik, new Date(`${REF}T00:00:00Z`)), c.token)
    assert.equal(other.tokenizeNik(c.nik, REF), c.token_other_key)
  }
})

test('invalid NIKs throw with their code; bad keys TOKEN_KEY_INVALID', () => {
  const k = key()
  for (const c of V.nik_invalid) {
    assert.throws(() => k.tokenizeNik(c.nik, REF), (e) => e.code === c.code)
  }
  assert.throws(() => new privacy.TokenKey('JKT1', Buffer.alloc(31)), (e) => e.code === 'TOKEN_KEY_INVALID')
})

test('tokenizeMany on the thread pool equals single calls', async () => {
  const k = key()
  const niks = [...V.nik_tokens.map((c) => c.nik), ...V.nik_invalid.map((c) => c.nik)]
  const out = await privacy.tokenizeMany(k, niks, REF)
  const n = V.nik_tokens.length
  assert.deepEqual(out.slice(0, n).map((r) => r.token), V.nik_tokens.map((c) => c.token))
  assert.deepEqual(out.slice(n).map((r) => r.code), V.nik_invalid.map((c) => c.code))
  assert.ok(out.slice(n).every((r) => r.token === null))
})

test('element tokens', () => {
  const k = key()
  for (const c of V.element_tokens) {
    assert.equal(privacy.tokenizeElement(k, c.name, c.birth_date ?? undefined), c.token)
  }
  for (const c of V.element_invalid) {
    assert.throws(() => k.tokenizeElement(c.name), (e) => e.code === c.code)
  }
})

test('audit log vectors: verdict, code and first bad entry', () => {
  const a = V.audit
  for (const c of a.logs) {
    const r = privacy.verifyLog(hex(c.log), { checkpoints: hex(c.checkpoints), publicJwk: c.use_key ? a.checkpoint_public_jwk : undefined })
    assert.equal(r.valid, c.valid, c.name)
    assert.equal(r.code, c.code, c.name)
    if (!c.valid) assert.equal(r.entry, c.entry, c.name)
  }
})

test('log file: append, checkpoint, prove, verify, tear, recover', async () => {
  const a = V.audit
  const pub = JSON.parse(a.checkpoint_public_jwk)
  const d = Buffer.from(a.checkpoint_private_scalar, 'hex').toString('base64url')
  const signer = JSON.stringify({ ...pub, d })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktpel-privacy-'))
  const file = path.join(dir, 'akses.log')
  const log = new privacy.AuditLog(file)
  for (let i = 0; i < 6; i++) assert.equal(log.append('op-js', `N1JKT1-${String(i).padStart(16, '0')}`, 'uji node', 'SESUAI'), i)
  assert.equal(log.length, 6)
  assert.match(log.checkpoint(signer), /^\{"size":6,/)
  log.close()
  assert.throws(() => log.append('x', '', 'y'), (e) => e.code === 'INVALID_ARGUMENT')
  const r = await privacy.verifyLog(file, { publicJwk: a.checkpoint_public_jwk })
  assert.ok(r.valid && r.entries === 6 && r.signedSize === 6)
  const proof = await privacy.prove(file, 4)
  assert.equal(privacy.verifyProof(proof, a.checkpoint_public_jwk), 4)
  assert.throws(() => privacy.verifyProof(proof.replace('"index":4', '"index":3'), a.checkpoint_public_jwk), (e) => e.code === 'AUDIT_PROOF_INVALID')
  fs.appendFileSync(file, '{"seq":6,"ti')
  const torn = await privacy.verifyLog(file)
  assert.deepEqual([torn.valid, torn.code, torn.entry], [false, 'AUDIT_TRUNCATED_TAIL', 6])
  assert.throws(() => new privacy.AuditLog(file), (e) => e.code === 'AUDIT_TRUNCATED_TAIL')
  assert.deepEqual(await privacy.recover(file), { entries: 6, removedBytes: 12 })
  assert.ok((await privacy.verifyLog(file)).valid)
  fs.rmSync(dir, { recursive: true })
})
