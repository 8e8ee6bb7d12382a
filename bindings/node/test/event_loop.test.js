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

// The issue asks for a 10 M-row match; CI runs the same test on a smaller
// file (KTPEL_LOOP_MATCH_ROWS, default 100 000) and BENCHMARKS.md records
// the 10 M run: `KTPEL_LOOP_MATCH_ROWS=10000000 node --test test/event_loop.test.js`.
test('event loop: timers keep firing during a large match', async () => {
  const rows = Number(process.env.KTPEL_LOOP_MATCH_ROWS || 100_000)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktpel-loop-match-'))
  try {
    await ktpel.sample.generate(dir, { population: rows, agency: rows, seed: 21 })
    let last = process.hrtime.bigint()
    let maxGapMs = 0
    let progressCalls = 0
    const timer = setInterval(() => {
      const now = process.hrtime.bigint()
      maxGapMs = Math.max(maxGapMs, Number(now - last) / 1e6)
      last = now
    }, 5)
    const { result, ticks, ms } = await ticksDuring(() =>
      ktpel.matching.run(path.join(dir, 'agency.csv'), path.join(dir, 'population.csv'), path.join(dir, 'out'), {
        referenceDate: '2022-11-30',
        onProgress: () => {
          progressCalls++
        },
      }),
    )
    clearInterval(timer)
    assert.equal(result.received, rows)
    assert.equal(result.matched + result.anomaly + result.duplicate + result.unmatched + result.nikNotFound, rows)
    assert.ok(ticks >= 1, `no timer tick during a ${ms} ms match: the event loop was blocked`)
    console.log(
      `# match of ${rows} agency rows vs ${rows} residents: ${ms} ms, ${ticks} timer ticks, ` +
        `largest gap between ticks ${maxGapMs.toFixed(1)} ms, ${progressCalls} progress calls`,
    )
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
