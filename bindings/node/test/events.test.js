'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const ktpel = require('ktpel')
const { load } = require('./vectors.js')

const csv = (header, rows) => [header, ...rows].map((r) => r.join(',') + '\n').join('')

test('events.json: every case through events.diffCsv', () => {
  const doc = load('events.json')
  assert.ok(doc.source)
  assert.ok(doc.cases.length >= 10)
  for (const c of doc.cases) {
    const got = ktpel.events.diffCsv(csv(doc.header, c.old), csv(doc.header, c.new), { asOf: doc.as_of, since: doc.since })
    assert.equal(got.events.length, c.expected_events.length, c.name)
    got.events.forEach((g, i) => {
      const w = c.expected_events[i]
      for (const k of ['id', 'type', 'nik', 'changes', 'from', 'to']) assert.deepEqual(g[k], w[k], `${c.name}: ${k}`)
    })
    assert.deepEqual(got.anomalies.map((a) => a.code), c.expected_anomalies, c.name)
  }
})

test('diff with routing, applyEvents twice, aggregate, route (thread pool)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktpel-events-'))
  const gen = path.join(dir, 'gen')
  const truth = await ktpel.sample.generate(gen, { population: 2000, seed: 4 })
  const subs = path.join(gen, 'subs.toml')
  fs.writeFileSync(subs, '[[agency]]\nname = "all"\nelements = ["*"]\n\n[[agency]]\nname = "mati"\nelements = ["STATUS"]\ntypes = ["MATI"]\n')
  const phases = new Set()
  const out = path.join(dir, 'out')
  const s = await ktpel.diff(path.join(gen, 'population.csv'), path.join(gen, 'population_later.csv'), {
    asOf: new Date('2023-11-30T00:00:00Z'),
    since: '2022-11-30',
    outDir: out,
    subscriptions: subs,
    onProgress: (p) => phases.add(p.phase),
  })
  assert.equal(s.events_total, truth.changes)
  assert.equal(s.anomalies_total, 0)
  assert.equal(s.agencies.all, s.events_total)
  assert.equal(s.agencies.mati, s.events.MATI)
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')), s)
  const ev = path.join(out, 'events.jsonl')
  const first = await ktpel.applyEvents(path.join(gen, 'population.csv'), ev, path.join(dir, 'upd.csv'))
  assert.ok(first.values_changed > 0)
  const second = await ktpel.applyEvents(path.join(dir, 'upd.csv'), ev, path.join(dir, 'upd2.csv'))
  assert.equal(second.values_changed, 0)
  assert.deepEqual(fs.readFileSync(path.join(dir, 'upd.csv')), fs.readFileSync(path.join(dir, 'upd2.csv')))
  const agg = await ktpel.aggregate(ev, { level: 'regency', period: 'year' })
  assert.equal(agg.events, s.events_total)
  const births = agg.rows.filter((r) => r.category === 'KELAHIRAN').reduce((a, r) => a + r.persons, 0)
  assert.equal(births, s.events.LAHIR)
  assert.deepEqual(await ktpel.events.route(ev, subs, path.join(dir, 'routed')), s.agencies)
  await assert.rejects(ktpel.aggregate(ev, { level: 'planet' }), (e) => e.code === 'INVALID_ARGUMENT')
  await assert.rejects(ktpel.diff(path.join(dir, 'missing.csv'), ev, { asOf: '2023-11-30', outDir: out }), (e) => e.code === 'IO')
  assert.throws(() => ktpel.events.diffCsv('NIK,A\n', 'NIK,B\n', { asOf: '2023-11-30' }), (e) => e.code === 'SNAPSHOT_HEADER_MISMATCH')
  fs.rmSync(dir, { recursive: true, force: true })
})
