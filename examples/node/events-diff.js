'use strict'
// Change events: diff two register snapshots (the generator's, or yours),
// route them to an agency, and print the M-SINK table per province.
// Usage: node events-diff.js [OLD.csv NEW.csv AS_OF]
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const ktpel = require('ktpel')

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ktpel-events-'))
  let [oldPath, newPath, asOf] = process.argv.slice(2)
  if (!oldPath) {
    await ktpel.sample.generate(dir, { population: 5000, seed: 1 })
    ;[oldPath, newPath, asOf] = [path.join(dir, 'population.csv'), path.join(dir, 'population_later.csv'), '2023-11-30']
  }
  const subs = path.join(dir, 'subs.toml')
  fs.writeFileSync(subs, '[[agency]]\nname = "dinsos"\nelements = ["STATUS", "NO_KK", "ALAMAT", "NO_KEL"]\ntypes = ["MATI", "PINDAH"]\n')
  const s = await ktpel.diff(oldPath, newPath, { asOf, outDir: path.join(dir, 'out'), subscriptions: subs })
  console.log('events per type:', s.events, 'anomalies:', s.anomalies_total, 'to dinsos:', s.agencies.dinsos)
  const table = await ktpel.aggregate(path.join(dir, 'out', 'events.jsonl'), { level: 'province', period: 'year' })
  for (const r of table.rows.slice(0, 10)) console.log(r.period, r.region, r.category.padEnd(15), r.documents, r.persons)
  fs.rmSync(dir, { recursive: true, force: true })
}

main().catch((e) => {
  console.error(e.code, e.message)
  process.exit(1)
})
