'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const ktpel = require('ktpel')
const { load } = require('./vectors.js')

const camel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())

function optsOf(c) {
  return { mode: c.mode, referenceDate: c.reference_date, birthYear: c.birth_year ?? undefined }
}

function compare(kind, c, r) {
  for (const [k, v] of Object.entries(c.expect)) {
    if (k === 'note') continue
    assert.deepEqual(r[camel(k)], v, `${kind} ${JSON.stringify(c.input)}: ${k}`)
  }
}

test('nik.json: every vector through nik.check', () => {
  const doc = load('nik.json')
  assert.ok(doc.source)
  assert.ok(doc.cases.length >= 70)
  for (const c of doc.cases) {
    const r = ktpel.nik.check(c.input, optsOf(c))
    compare('nik', c, r)
    if (r.birthDate) {
      assert.ok(r.birthDateAsDate instanceof Date)
      assert.equal(r.birthDateAsDate.toISOString().slice(0, 10), r.birthDate)
    } else {
      assert.equal(r.birthDateAsDate, null)
    }
    if (r.valid) {
      assert.equal(ktpel.nik.parse(c.input, optsOf(c)), r.normalized)
    } else {
      assert.throws(() => ktpel.nik.parse(c.input, optsOf(c)), (e) => e instanceof Error && e.code === r.code && e.message === r.message)
    }
  }
})

test('nik.json: checkMany agrees with check, per reference date', () => {
  const doc = load('nik.json')
  const groups = new Map()
  for (const c of doc.cases) {
    if (c.input.includes('\n')) continue
    const key = JSON.stringify(optsOf(c))
    if (!groups.has(key)) groups.set(key, [])
    groups.get(key).push(c)
  }
  let n = 0
  for (const cases of groups.values()) {
    const opts = optsOf(cases[0])
    const batch = ktpel.nik.checkMany(cases.map((c) => c.input), opts)
    assert.equal(batch.length, cases.length)
    cases.forEach((c, i) => {
      n++
      assert.equal(batch.isValid(i), c.expect.valid, c.input)
      assert.equal(batch.code(i), c.expect.code, c.input)
      assert.deepEqual(batch.warnings(i), c.expect.warnings, c.input)
      if ('sex' in c.expect) assert.equal(batch.sex(i), c.expect.sex, c.input)
      if ('birth_date' in c.expect) {
        const d = batch.birthDate(i)
        assert.equal(d && d.toISOString().slice(0, 10), c.expect.birth_date, c.input)
      }
      assert.deepEqual(batch.get(i), ktpel.nik.check(c.input, opts))
    })
  }
  assert.ok(n >= 70)
  assert.equal(ktpel.nik.checkMany([]).length, 0)
  assert.equal(ktpel.nik.checkMany('').length, 0)
  assert.throws(() => ktpel.nik.checkMany(['3174015708900123\n3174015708900123']), { code: 'INVALID_ARGUMENT' })
  // Newline-separated text (a file's content) gives the same columns as the array.
  for (const cases of groups.values()) {
    const opts = optsOf(cases[0])
    const inputs = cases.map((c) => c.input)
    const a = ktpel.nik.checkMany(inputs, opts)
    const t = ktpel.nik.checkMany(inputs.join('\n') + '\n', opts)
    assert.equal(t.length, a.length)
    for (const k of Object.keys(a.columns)) assert.deepEqual(t.columns[k], a.columns[k], k)
    assert.deepEqual(t.get(t.length - 1), a.get(a.length - 1))
  }
})

test('nik options: a Date reference date and bad options', () => {
  const a = ktpel.nik.check('3174015708900123', { referenceDate: new Date(Date.UTC(2026, 10, 23)) })
  assert.equal(a.valid, true)
  assert.throws(() => ktpel.nik.check('3174015708900123', { mode: 'loose' }), { code: 'INVALID_ARGUMENT' })
  assert.throws(() => ktpel.nik.check('3174015708900123', { referenceDate: '23-11-2026' }), { code: 'INVALID_ARGUMENT' })
  assert.equal(ktpel.nik.formatDisplay('3174016701900123'), '31.74.01.670190.0123')
  assert.equal(ktpel.nik.formatDisplay('12'), null)
})

test('kk.json: every vector through kk.check', () => {
  const doc = load('kk.json')
  assert.ok(doc.source)
  assert.ok(doc.cases.length >= 20)
  for (const c of doc.cases) {
    const r = ktpel.kk.check(c.input, optsOf(c))
    compare('kk', c, r)
    if (r.valid) assert.equal(ktpel.kk.parse(c.input, optsOf(c)), r.normalized)
    else assert.throws(() => ktpel.kk.parse(c.input, optsOf(c)), { code: r.code })
  }
})
