'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const { name } = require('ktpel')
const { load } = require('./vectors.js')

test('names.json: every case through name.*', () => {
  const doc = load('names.json')
  assert.ok(doc.cases.length >= 80)
  for (const c of doc.cases) {
    const ctx = JSON.stringify(c.input)
    const n = name.normalize(c.input)
    assert.equal(n.display, c.display, `display of ${ctx}`)
    assert.equal(n.normalized, c.normalized, `normalized of ${ctx}`)
    assert.deepEqual(n.removed.map((r) => r.title), c.removed, `removed of ${ctx}`)
    assert.equal(name.matchingKey(c.input), c.matching_key, `matching key of ${ctx}`)
    assert.equal(name.phoneticKey(c.input), c.phonetic_key, `phonetic key of ${ctx}`)
    const all = name.check(c.input)
    assert.deepEqual(all.map((a) => a.code), c.anomalies, `anomalies of ${ctx}`)
    assert.equal(all.length ? all[0].code : null, c.anomaly, `anomaly of ${ctx}`)
    for (const a of all) {
      assert.ok(a.severity === 'error' || a.severity === 'warning')
      assert.ok(a.message.length > 0)
    }
    if ('mother' in c) {
      const nb = all.find((a) => a.code === 'NEWBORN_PLACEHOLDER')
      assert.equal(nb?.mother ?? null, c.mother, `mother of ${ctx}`)
    }
  }
})

test('name_pairs.json: symmetric scores, components, quality floor on hand pairs', () => {
  const doc = load('name_pairs.json')
  const hand = doc.pairs.filter((p) => p.origin === 'hand')
  assert.ok(hand.length >= 100)
  let tp = 0, fp = 0, fn = 0, same = 0, blocked = 0
  for (const p of doc.pairs) {
    const s = name.similarity(p.a, p.b)
    assert.equal(s, name.similarity(p.b, p.a), `${p.id} symmetric`)
    assert.ok(s >= 0 && s <= 1)
    const parts = name.similarityScores(p.a, p.b)
    assert.equal(parts.combined, s, p.id)
    for (const k of ['token', 'jaroWinkler', 'levenshtein']) assert.ok(parts[k] >= 0 && parts[k] <= 1, `${p.id} ${k}`)
    if (p.origin !== 'hand') continue
    const hit = s >= name.DEFAULT_THRESHOLD
    if (hit && p.same) tp++
    else if (hit) fp++
    else if (p.same) fn++
    if (p.same) {
      same++
      const kb = new Set(name.blockingKeys(p.b))
      if (name.blockingKeys(p.a).some((k) => kb.has(k))) blocked++
    }
  }
  // The same floors as the Rust test (ktpel-core/tests/name_vectors.rs).
  assert.ok(tp / (tp + fp) >= 0.94, `precision ${tp / (tp + fp)}`)
  assert.ok(tp / (tp + fn) >= 0.97, `recall ${tp / (tp + fn)}`)
  assert.ok(blocked / same >= 0.92, `blocking ${blocked / same}`)
})

test('name.jaroWinklerBlock: exact scores, and the cutoff loses nothing', () => {
  const pairs = load('name_pairs.json').pairs
  const keys = pairs.map((p) => name.matchingKey(p.b))
  for (const p of pairs.slice(0, 20)) {
    const full = name.jaroWinklerBlock(p.a, keys)
    assert.ok(full instanceof Float64Array)
    assert.equal(full.length, keys.length)
    for (const cutoff of [0, 0.7, 0.85, 0.95, 1]) {
      const cut = name.jaroWinklerBlock(p.a, keys, cutoff)
      assert.deepEqual(Array.from(cut), Array.from(full, (s) => (s >= cutoff ? s : 0)))
    }
  }
  assert.throws(() => name.jaroWinklerBlock('SITI', keys, 1.5), (e) => e.code === 'INVALID_ARGUMENT')
})
