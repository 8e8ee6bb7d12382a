'use strict'
// Long jobs run on the libuv thread pool: timers keep firing while they work.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const ktpel = require('ktpel')

async function ticksDuring(job) {
  let done = false
  let ticks = 0
  const timer = setInterval(() => {
    if (!done) ticks++
  }, 2)
  const started = Date.now()
  const result = await job()
  done = true
  clearInterval(timer)
  return { result, ticks, ms: Date.now() - started }
}

test('event loop: timers fire while validateFile checks 100 000 rows', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktpel-loop-'))
  const input = path.join(dir, 'big.csv')
  const row = '3174015708900123\n3174019908900123\n'
  fs.writeFileSync(input, 'NIK\n' + row.repeat(50_000))
  const { result, ticks, ms } = await ticksDuring(() =>
    ktpel.validateFile(input, path.join(dir, 'out.jsonl'), { format: 'jsonl', check: { referenceDate: '2026-11-23' } }),
  )
  assert.equal(result.rows, 100_000)
  assert.equal(result.valid, 50_000)
  assert.ok(ticks >= 1, `no timer tick during a ${ms} ms job: the event loop was blocked`)
  fs.rmSync(dir, { recursive: true })
})

test('event loop: timers fire while sample.generate writes 50 000 residents', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktpel-loop-'))
  const { result, ticks, ms } = await ticksDuring(() => ktpel.sample.generate(dir, { population: 50_000, agency: 5_000, seed: 3 }))
  assert.equal(result.registerRows, 50_000)
  assert.ok(ticks >= 1, `no timer tick during a ${ms} ms job: the event loop was blocked`)
  fs.rmSync(dir, { recursive: true })
})

test('event loop: qr verify of 500 tokens in flight lets timers run', async () => {
  const jwks = ktpel.qr.generateJwks('s', 'e')
  const issuer = new ktpel.qr.Issuer({ jwks })
  const tokens = Array.from({ length: 500 }, () => issuer.issue({ iss: 'x', identity: { nik: '3174011501900001' } }, 60))
  const v = new ktpel.qr.Verifier({ jwks: ktpel.qr.publicJwks(jwks) })
  const { result, ticks, ms } = await ticksDuring(() => Promise.all(tokens.map((t) => v.verify(t))))
  assert.equal(result.length, 500)
  assert.ok(ticks >= 1, `no timer tick during a ${ms} ms job: the event loop was blocked`)
})
