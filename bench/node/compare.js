'use strict'
// ktpel (napi) against peer npm libraries on the same inputs, in one run.
//   cd bench/node && npm install && node compare.js [N]
// Prints the command, the machine and each ratio. Numbers go to BENCHMARKS.md.
const os = require('node:os')
const ktpel = require('ktpel')
const { nikParser } = require('nik-parser')
const cose = require('cose-js')

const N = Number(process.argv[2] || 1_000_000)
const REF = { referenceDate: '2026-11-23' }

function lcg(seed) {
  let s = seed >>> 0
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
}

// The same N NIKs for everyone: real district codes, random birth dates
// (half women: day + 40), random serials; 5 % mangled.
function makeNiks(n) {
  const districts = []
  for (const p of ktpel.region.children()) {
    for (const r of ktpel.region.children(p.code)) {
      for (const d of ktpel.region.children(r.code)) if (d.level === 'DISTRICT') districts.push(d.digits)
    }
  }
  const rnd = lcg(42)
  const pad = (v, w) => String(v).padStart(w, '0')
  const out = new Array(n)
  for (let i = 0; i < n; i++) {
    const d = districts[Math.floor(rnd() * districts.length)]
    const day = 1 + Math.floor(rnd() * 28) + (rnd() < 0.5 ? 40 : 0)
    const s = d + pad(day, 2) + pad(1 + Math.floor(rnd() * 12), 2) + pad(Math.floor(rnd() * 100), 2) + pad(1 + Math.floor(rnd() * 9999), 4)
    out[i] = rnd() < 0.05 ? s.slice(0, 15) + 'X' : s
  }
  return { niks: out, districts: districts.length }
}

function time(fn) {
  const t = process.hrtime.bigint()
  const r = fn()
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, r }
}

function best(runs, fn) {
  let b = null
  for (let i = 0; i < runs; i++) {
    const t = time(fn)
    if (!b || t.ms < b.ms) b = t
  }
  return b
}

async function main() {
  console.log(`command: node bench/node/compare.js ${N}`)
  console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cpus, load average ${os.loadavg()[0].toFixed(1)}, node ${process.version}, ktpel ${ktpel.version}`)
  const { niks, districts } = makeNiks(N)
  console.log(`inputs: ${N} NIKs over ${districts} districts (5 % mangled)`)

  // --- nik.checkMany vs nik-parser ------------------------------------------
  const k = best(3, () => ktpel.nik.checkMany(niks, REF))
  const nikParserRun = () => {
    let valid = 0
    for (const s of niks) {
      const p = nikParser(s)
      try {
        if (p.isValid()) {
          p.lahir()
          p.kelamin()
          valid++
        }
      } catch {}
    }
    return valid
  }
  const np = best(3, nikParserRun)
  const text = niks.join('\n')
  const kt = best(3, () => ktpel.nik.checkMany(text, REF))
  console.log(`nik.checkMany(text of the same NIKs, newline-separated, e.g. a file's content): ${kt.ms.toFixed(0)} ms (${((kt.ms * 1e6) / N).toFixed(0)} ns/NIK), valid ${kt.r.validCount()}`)
  console.log(`ratio nik-parser / nik.checkMany(text): ${(np.ms / kt.ms).toFixed(1)}x`)
  console.log(`nik.checkMany: ${k.ms.toFixed(0)} ms (${((k.ms * 1e6) / N).toFixed(0)} ns/NIK), valid ${k.r.validCount()}`)
  console.log(`nik-parser isValid+lahir+kelamin: ${np.ms.toFixed(0)} ms (${((np.ms * 1e6) / N).toFixed(0)} ns/NIK), valid ${np.r}`)
  console.log(`ratio nik-parser / nik.checkMany: ${(np.ms / k.ms).toFixed(1)}x`)

  // --- one call at a time ---------------------------------------------------
  const M = Math.min(N, 200_000)
  const one = best(3, () => {
    let v = 0
    for (let i = 0; i < M; i++) v += ktpel.nik.check(niks[i], REF).valid ? 1 : 0
    return v
  })
  const parse = best(3, () => {
    let v = 0
    for (let i = 0; i < M; i++) {
      try {
        ktpel.nik.parse(niks[i], REF)
        v++
      } catch {}
    }
    return v
  })
  const npOne = best(3, () => {
    let v = 0
    for (let i = 0; i < M; i++) {
      try {
        if (nikParser(niks[i]).isValid()) v++
      } catch {}
    }
    return v
  })
  const fmt = best(3, () => {
    let v = 0
    for (let i = 0; i < M; i++) v += ktpel.nik.formatDisplay(niks[i]) === null ? 0 : 1
    return v
  })
  console.log(`nik.formatDisplay (smallest call: 16-char string in, string out): ${((fmt.ms * 1e6) / M).toFixed(0)} ns/call`)
  console.log(`nik.check (full object, ${M} calls): ${((one.ms * 1e6) / M).toFixed(0)} ns/call`)
  console.log(`nik.parse (string out; throws on invalid): ${((parse.ms * 1e6) / M).toFixed(0)} ns/call`)
  console.log(`nik-parser isValid per call: ${((npOne.ms * 1e6) / M).toFixed(0)} ns/call`)

  // --- QR verify vs cose-js -------------------------------------------------
  const T = 2000
  const jwks = ktpel.qr.generateJwks('sig-bench', 'enc-bench')
  const signOnly = JSON.stringify({ keys: JSON.parse(jwks).keys.filter((x) => x.kty === 'EC') })
  const claims = { iss: 'dukcapil.kemendagri.go.id', aud: 'bank-xyz', identity: { nik: '3174011501900001', nama: 'BUDI SANTOSO', tgl_lhr: '1990-01-15' } }
  const now = Math.floor(Date.now() / 1000)
  const enc = new ktpel.qr.Issuer({ jwks, now })
  const plain = new ktpel.qr.Issuer({ jwks: signOnly, now })
  const encTokens = []
  const signTokens = []
  const sign1 = []
  for (let i = 0; i < T; i++) {
    const cti = Buffer.alloc(16)
    cti.writeUInt32BE(i)
    encTokens.push(enc.issueWith(claims, 90, now, cti, Buffer.alloc(12, i & 0xff)).token)
    const t = plain.issueWith(claims, 90, now, cti, Buffer.alloc(12))
    signTokens.push(t.token)
    sign1.push(t.sign1)
  }
  const pubJwks = ktpel.qr.publicJwks(jwks)
  const vt = (tokens, requireEncryption) => {
    const v = new ktpel.qr.Verifier({ jwks: pubJwks, audience: 'bank-xyz', requireEncryption, replayCapacity: 2 * T, now })
    const t = process.hrtime.bigint()
    for (const tok of tokens) v.verifySync(tok)
    return Number(process.hrtime.bigint() - t) / 1e6
  }
  const kEnc = Math.min(vt(encTokens, true), vt(encTokens, true))
  const kSign = Math.min(vt(signTokens, false), vt(signTokens, false))
  const vAsync = new ktpel.qr.Verifier({ jwks: pubJwks, audience: 'bank-xyz', replayCapacity: 2 * T, now })
  let t0 = process.hrtime.bigint()
  await Promise.all(encTokens.map((x) => vAsync.verify(x)))
  const kAsync = Number(process.hrtime.bigint() - t0) / 1e6

  const ec = JSON.parse(jwks).keys.find((x) => x.kty === 'EC')
  const verifier = { key: { x: Buffer.from(ec.x, 'base64url'), y: Buffer.from(ec.y, 'base64url') } }
  await cose.sign.verify(sign1[0], verifier) // throws if cose-js cannot read ktpel's COSE_Sign1
  t0 = process.hrtime.bigint()
  for (const s of sign1) await cose.sign.verify(s, verifier)
  const cj = Number(process.hrtime.bigint() - t0) / 1e6
  const us = (ms) => ((ms * 1000) / T).toFixed(1)
  console.log(`qr Verifier.verifySync, encrypted token (base45+zlib+A256GCM+ES256+claims+replay): ${us(kEnc)} us/token`)
  console.log(`qr Verifier.verifySync, signed-only token: ${us(kSign)} us/token`)
  console.log(`qr Verifier.verify (async, thread pool, ${T} in flight): ${us(kAsync)} us/token wall`)
  console.log(`cose-js sign.verify (COSE_Sign1 ES256 only): ${us(cj)} us/token`)
  console.log(`ratio cose-js / ktpel signed-only: ${(cj / kSign).toFixed(1)}x; cose-js / ktpel encrypted: ${(cj / kEnc).toFixed(1)}x`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
