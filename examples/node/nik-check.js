'use strict'
// Checks a few NIKs and prints the decoded fields; a bad NIK is a verdict, not an exception.
const assert = require('node:assert/strict')
const ktpel = require('ktpel')

const r = ktpel.nik.check('3174015708900123', { referenceDate: '2026-11-23' })
console.log(r.valid, r.sex, r.birthDate, r.districtName)
assert.equal(r.birthDateAsDate.getUTCFullYear(), 1990)

const bad = ktpel.nik.check('3.17401E+15', { mode: 'lenient' })
console.log(bad.valid, bad.code, bad.message)
assert.equal(bad.valid, false)

try {
  ktpel.nik.parse('3174019908900123')
} catch (e) {
  console.log('parse failed with', e.code)
  assert.equal(e.code, 'INVALID_BIRTH_DATE')
}

const batch = ktpel.nik.checkMany(['3174015708900123', '3174010101010001', 'abc'], { referenceDate: '2026-11-23' })
console.log(`${batch.validCount()} of ${batch.length} valid`)
console.log(ktpel.name.normalize('Hj. Siti Aminah, S.Pd.').display, ktpel.name.similarity('MOCH. ARIEF', 'M ARIF').toFixed(3))
