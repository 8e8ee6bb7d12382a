'use strict'
// Batch pemadanan on generated sample data: the match runs on the libuv
// thread pool while a timer keeps ticking, then the Dukcapil report is printed.
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const ktpel = require('ktpel')

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktpel-pemadanan-'))
  await ktpel.sample.generate(dir, { population: 20000, agency: 5000, seed: 1 })
  let ticks = 0
  const timer = setInterval(() => ticks++, 5)
  let lastProgress = null
  const s = await ktpel.matching.run(path.join(dir, 'agency.csv'), path.join(dir, 'population.csv'), path.join(dir, 'hasil'), {
    referenceDate: '2022-11-30',
    onProgress: (p) => (lastProgress = p),
  })
  clearInterval(timer)
  console.log(`Diterima ${s.received}  Sesuai ${s.matched} (meninggal ${s.matchedDeceased})  Anomali ${s.anomaly}  Ganda ${s.duplicate}  Tidak sesuai ${s.unmatched}  NIK tidak ditemukan ${s.nikNotFound}`)
  console.log(`files: ${fs.readdirSync(path.join(dir, 'hasil')).join(', ')}; last progress ${JSON.stringify(lastProgress)}; timer ticks during the job: ${ticks}`)
  assert.equal(s.matched + s.anomaly + s.duplicate + s.unmatched + s.nikNotFound, s.received)
  fs.rmSync(dir, { recursive: true })
}
main().catch((e) => {
  console.error(e)
  process.exit(1)
})
