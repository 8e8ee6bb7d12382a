'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const ktpel = require('ktpel')
const { load } = require('./vectors.js')

test('matching.json: every verify case through matching.verify', () => {
  const doc = load('matching.json')
  assert.ok(doc.source)
  assert.ok(doc.verify.length >= 15)
  for (const c of doc.verify) {
    const v = ktpel.matching.verify(c.submitted, c.reference, { policyToml: c.policy_toml })
    assert.equal(v.overall, c.overall, c.id)
    assert.deepEqual(v.elements.map((e) => e.element), Object.keys(c.elements), `${c.id}: elements in policy order`)
    for (const e of v.elements) {
      const x = c.elements[e.element]
      assert.equal(e.verdict, x.verdict, `${c.id} ${e.element}`)
      assert.equal(e.flag, x.flag ?? null, `${c.id} ${e.element} flag`)
      if ('score_min' in x) assert.ok(e.score >= x.score_min, `${c.id} ${e.element} score ${e.score} >= ${x.score_min}`)
      if ('score_max' in x) assert.ok(e.score <= x.score_max, `${c.id} ${e.element} score ${e.score} <= ${x.score_max}`)
    }
    const returned = Object.fromEntries(v.returned.map((r) => [r.element, r.value]))
    assert.deepEqual(returned, c.returned ?? {}, `${c.id} returned`)
  }
  assert.throws(() => ktpel.matching.verify({ NIK: '1' }, null, { policyToml: 'min_agreeing = "x"' }), (e) => e instanceof Error && /^[A-Z_]+$/.test(e.code))
})

test('matching.run on generated sample data: every row in one category, progress, timers keep firing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktpel-match-'))
  await ktpel.sample.generate(dir, { population: 60_000, agency: 20_000, seed: 11 })
  const phases = new Set()
  let ticks = 0
  let done = false
  const timer = setInterval(() => {
    if (!done) ticks++
  }, 2)
  const s = await ktpel.matching.run(path.join(dir, 'agency.csv'), path.join(dir, 'population.csv'), path.join(dir, 'out'), {
    referenceDate: '2022-11-30',
    onProgress: (p) => phases.add(p.phase),
  })
  done = true
  clearInterval(timer)
  assert.equal(s.received, 20_000)
  assert.equal(s.matched + s.anomaly + s.duplicate + s.unmatched + s.nikNotFound, s.received)
  assert.ok(s.matched > s.received / 2, `matched ${s.matched}`)
  assert.equal(s.population.rows, 60_000)
  assert.ok(ticks >= 1, 'no timer tick while matching: the event loop was blocked')
  await new Promise((r) => setImmediate(r))
  assert.ok(phases.has('AGENCY'), [...phases].join(','))
  assert.ok(fs.readdirSync(path.join(dir, 'out')).length >= 1)
  await assert.rejects(
    ktpel.matching.run(path.join(dir, 'missing.csv'), path.join(dir, 'population.csv'), path.join(dir, 'out2')),
    (e) => e instanceof Error && /^[A-Z_]+$/.test(e.code),
  )
  fs.rmSync(dir, { recursive: true })
})

test('matching.dedupe: one NIK for two persons, one person under two NIKs', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktpel-dedupe-'))
  const f = path.join(dir, 'd.csv')
  fs.writeFileSync(f, 'NIK,NAMA_LGKP,TGL_LHR,JENIS_KLMIN,NAMA_LGKP_IBU\n' +
    '3174015708900123,SITI AMINAH,17-08-1990,P,RATNA\n' +
    '3174015708900123,BUDI SANTOSO,01-02-1970,L,SRI\n' +
    '3273010101850001,AHMAD FAUZI,01-01-1985,L,SITI KHADIJAH\n' +
    '3273010101850002,AHMAD FAUZI,01-01-1985,L,SITI KHADIJAH\n' +
    '"broken,row\n')
  const s = await ktpel.matching.dedupe(f, path.join(dir, 'out'))
  assert.deepStrictEqual([s.rows, s.malformed, s.nikShared, s.personMultipleNik], [5, 1, 1, 1])
  const lines = fs.readFileSync(path.join(dir, 'out', 'duplikat.csv'), 'utf8').trim().split('\n')
  assert.strictEqual(lines.length, 3)
  await assert.rejects(ktpel.matching.dedupe(f, path.join(dir, 'out'), { accept: 1.5 }), (e) => e instanceof Error && e.code === 'INVALID_ARGUMENT')
  await assert.rejects(ktpel.matching.dedupe(path.join(dir, 'missing.csv'), path.join(dir, 'out')), (e) => e instanceof Error && e.code === 'IO')
  fs.rmSync(dir, { recursive: true, force: true })
})
