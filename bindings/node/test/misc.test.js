'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const ktpel = require('ktpel')
const pkg = require('ktpel/package.json')

test('package version equals the workspace version', () => {
  assert.equal(ktpel.version, pkg.version)
  const cargo = path.join(__dirname, '..', '..', '..', 'Cargo.toml')
  if (fs.existsSync(cargo)) {
    const m = /\[workspace\.package\][^[]*?\nversion\s*=\s*"([^"]+)"/.exec(fs.readFileSync(cargo, 'utf8'))
    assert.equal(pkg.version, m[1])
  }
})

test('every shared code maps to an Error with that .code', () => {
  assert.ok(ktpel.codes.length > 50)
  const names = new Set()
  for (const c of ktpel.codes) {
    assert.match(c.name, /^[A-Z0-9_]+$/)
    assert.ok(!names.has(c.name))
    names.add(c.name)
    assert.throws(() => ktpel.errorForCode(c.name), (e) => e instanceof Error && e.code === c.name && e.message === c.description)
  }
  assert.throws(() => ktpel.errorForCode('NOPE'), { code: 'INVALID_ARGUMENT' })
})

test('region: lookup, status, children, search, BPS round trip', () => {
  const r = ktpel.region.lookup('317401')
  assert.equal(r.name, 'Tebet')
  assert.equal(r.code, '31.74.01')
  assert.equal(r.level, 'DISTRICT')
  assert.equal(ktpel.region.status('31.74.01').status, 'CURRENT')
  assert.throws(() => ktpel.region.lookup('99.99'), (e) => e instanceof Error && /^[A-Z_]+$/.test(e.code))
  const provinces = ktpel.region.children()
  assert.ok(provinces.length >= 34)
  assert.ok(provinces.every((p) => p.level === 'PROVINCE'))
  assert.ok(ktpel.region.children('31.74').some((d) => d.name === 'Tebet'))
  assert.ok(ktpel.region.search('tebet', { level: 'DISTRICT' }).some((d) => d.code === '31.74.01'))
  const bps = ktpel.region.toBps('31.74.01')
  assert.equal(ktpel.region.fromBps(bps), '31.74.01')
  assert.ok(ktpel.region.snapshotYears().includes(2025))
})

test('validateFile: summary, output file, progress callback, coded errors', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktpel-node-'))
  const input = path.join(dir, 'in.csv')
  const rows = ['NAMA,NIK']
  for (let i = 0; i < 300; i++) rows.push(`A${i},${i % 3 === 0 ? 'x' : '3174015708900123'}`)
  fs.writeFileSync(input, rows.join('\n') + '\n')
  const output = path.join(dir, 'out.csv')
  const seen = []
  const s = await ktpel.validateFile(input, output, { check: { referenceDate: '2026-11-23' }, onProgress: (p) => seen.push(p) })
  assert.equal(s.rows, 300)
  assert.equal(s.valid, 200)
  assert.equal(s.invalid, 100)
  assert.equal(s.valid + s.invalid, s.rows)
  assert.equal(Object.values(s.codes).reduce((a, b) => a + b, 0), 100)
  assert.equal(fs.readFileSync(output, 'utf8').trim().split('\n').length, 301)
  await new Promise((r) => setImmediate(r))
  assert.ok(seen.length >= 1)
  assert.equal(seen.at(-1).rows, 300)
  await assert.rejects(ktpel.validateFile(input, output, { column: 'NO_SUCH' }), { code: 'COLUMN_NOT_FOUND' })
  await assert.rejects(ktpel.validateFile(path.join(dir, 'missing.csv'), output), { code: 'IO' })
  assert.throws(() => ktpel.validateFile(input, output, { kind: 'ktp' }), { code: 'INVALID_ARGUMENT' })
  fs.rmSync(dir, { recursive: true })
})
