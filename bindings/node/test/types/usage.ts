// Compiled with `tsc --noEmit` (npm run typecheck): the declarations in
// index.d.ts and native.d.ts describe the API the tests use.
import * as ktpel from '../../index'

const r: ktpel.NikCheck = ktpel.nik.check('3174015708900123', { referenceDate: new Date(), mode: 'lenient' })
const code: string | null = r.code
const d: Date | null = r.birthDateAsDate
const b = ktpel.nik.checkMany(['3174015708900123'])
const n: number = b.validCount()
const k: ktpel.KkCheck = ktpel.kk.check('3174011203150007')
const reg: string = ktpel.region.lookup('31.74.01').name
const sim: number = ktpel.name.similarityScores('A', 'B').jaroWinkler
async function run(): Promise<number> {
  const s = await ktpel.validateFile('in.csv', 'out.csv', { onProgress: (p) => void p.rows })
  const g = await ktpel.sample.generate('out', { population: 10 })
  const v = new ktpel.qr.Verifier({ jwks: '{}', audience: 'x' })
  await v.verify('IKD1:')
  const auth = new ktpel.sam.MutualAuth({ profile: 'ktpel', seed: new Uint8Array(16) })
  const apdu: Buffer = auth.getChallenge()
  return s.rows + g.registerRows + apdu.length
}
export { code, d, n, k, reg, sim, run }
export async function match(): Promise<number> {
  const v = ktpel.matching.verify({ NIK: '1' }, null)
  const s = await ktpel.matching.run('a.csv', 'p.csv', 'out', { onProgress: (p) => void p.phase })
  return s.received + v.elements.length
}
