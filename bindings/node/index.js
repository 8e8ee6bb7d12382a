'use strict'
// The idiomatic ktpel API. The native module (`native.js` + `ktpel.*.node`)
// is private: it converts arguments and maps errors; this file adds `Date`s,
// option defaults and Promises, and groups functions into namespaces.

const raw = require('./native.js')

// napi-rs reports a JS argument of the wrong type (a number where a Buffer
// is expected, …) with its own status name as `.code` (`InvalidArg`,
// `StringExpected`, …). Those become the shared `INVALID_ARGUMENT` here, once
// for every native function and method; every other code comes from
// src/error.rs and passes through unchanged.
const KTPEL_CODES = new Set(raw.codes().map((c) => c.name))
function fixCode(e) {
  if (e instanceof Error && typeof e.code === 'string' && !KTPEL_CODES.has(e.code)) {
    e.message = `argument: ${e.message}`
    e.code = 'INVALID_ARGUMENT'
  }
  return e
}
function guarded(fn) {
  return function (...args) {
    try {
      return fn.apply(this, args)
    } catch (e) {
      throw fixCode(e)
    }
  }
}
const native = {}
for (const [name, value] of Object.entries(raw)) {
  if (typeof value !== 'function') {
    native[name] = value
  } else if (/^[A-Z]/.test(name)) {
    // A class: wrap its methods and static factories in place.
    for (const target of [value.prototype, value]) {
      for (const key of Object.getOwnPropertyNames(target)) {
        const d = Object.getOwnPropertyDescriptor(target, key)
        if (key !== 'constructor' && typeof d.value === 'function' && d.writable) {
          Object.defineProperty(target, key, { ...d, value: guarded(d.value) })
        }
      }
    }
    native[name] = value
  } else {
    native[name] = guarded(value)
  }
}

/** `YYYY-MM-DD` → `Date` at UTC midnight. */
const isoToDate = (s) => (s == null ? null : new Date(`${s}T00:00:00Z`))

function toIsoDate(d) {
  if (d == null || typeof d === 'string') return d
  if (d instanceof Date) return d.toISOString().slice(0, 10)
  return d
}

function checkOpts(opts) {
  if (opts == null) return undefined
  return { mode: opts.mode, referenceDate: toIsoDate(opts.referenceDate), birthYear: opts.birthYear }
}

function nikResult(r) {
  r.birthDateAsDate = isoToDate(r.birthDate)
  return r
}

const SEX = [null, 'L', 'P']
const codeNames = new Map(native.codes().map((c) => [c.number, c.name]))

/** The lines of a text, split only when one is asked for. */
class LazyLines {
  constructor(text, length) {
    this._text = text
    this.length = length
    this._lines = null
  }
  at(i) {
    if (!this._lines) this._lines = this._text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
    return this._lines[i]
  }
}

/** Column-wise results of `nik.checkMany`; `get(i)` builds the full object. */
class NikBatch {
  constructor(inputs, opts, cols) {
    this._inputs = inputs
    this._opts = opts
    this.length = inputs.length
    this.columns = cols
  }
  /** Whether input `i` is a valid NIK. */
  isValid(i) {
    return this.columns.valid[i] === 1
  }
  /** Error code of input `i`, or null. */
  code(i) {
    const n = this.columns.code[i]
    return n === 0 ? null : codeNames.get(n)
  }
  /** Warning codes of input `i`. */
  warnings(i) {
    const bits = this.columns.warnings[i]
    return this.columns.warningNames.filter((_, b) => bits & (1 << b))
  }
  /** `L`, `P` or null. */
  sex(i) {
    return SEX[this.columns.sex[i]]
  }
  /** Birth date of input `i` as a `Date` (UTC midnight), or null. */
  birthDate(i) {
    const d = this.columns.birthDays[i]
    return d === -2147483648 ? null : new Date(d * 86400000)
  }
  /** Number of valid inputs. */
  validCount() {
    let n = 0
    for (const v of this.columns.valid) n += v
    return n
  }
  /** The full result object of input `i` (same as `nik.check`). */
  get(i) {
    const input = this._inputs instanceof LazyLines ? this._inputs.at(i) : this._inputs[i]
    return nik.check(input, this._opts)
  }
  /** All results as objects. */
  toArray() {
    return Array.from({ length: this.length }, (_, i) => this.get(i))
  }
  *[Symbol.iterator]() {
    for (let i = 0; i < this.length; i++) yield this.get(i)
  }
}

const nik = {
  /** Checks one NIK; never throws for a bad NIK (see `valid`, `code`). */
  check: (input, opts) => nikResult(native.nikCheck(String(input), checkOpts(opts))),
  /** Checks many NIKs in parallel with one reference date; column-wise result. */
  checkMany(inputs, opts) {
    if (typeof inputs === 'string') {
      // Newline-separated NIKs (e.g. a file's content): no array to join.
      const cols = native.nikCheckLines(inputs, null, checkOpts(opts))
      return new NikBatch(new LazyLines(inputs, cols.valid.length), opts, cols)
    }
    const list = Array.isArray(inputs) ? inputs : Array.from(inputs)
    // One string crosses into Rust instead of a million; Rust checks the count.
    return new NikBatch(list, opts, native.nikCheckLines(list.join('\n'), list.length, checkOpts(opts)))
  },
  /** Parses a NIK, throwing an `Error` with `.code` when invalid; returns the 16 digits. */
  parse: (input, opts) => native.nikParse(String(input), checkOpts(opts)),
  /** `31.74.01.670190.0123`, or null unless 16 digits. */
  formatDisplay: (digits) => native.nikFormatDisplay(digits),
}

const kk = {
  /** Checks one KK number; never throws for a bad number. */
  check(input, opts) {
    const r = native.kkCheck(String(input), checkOpts(opts))
    r.issueDateAsDate = isoToDate(r.issueDate)
    return r
  },
  /** Parses a KK number, throwing an `Error` with `.code` when invalid. */
  parse: (input, opts) => native.kkParse(String(input), checkOpts(opts)),
}

const region = {
  lookup: (code) => native.regionLookup(code),
  status: (code) => native.regionStatus(code),
  children: (code) => native.regionChildren(code ?? null),
  search: (query, opts = {}) => native.regionSearch(query, opts.level, opts.prefix),
  toBps: (code) => native.regionToBps(code),
  fromBps: (code) => native.regionFromBps(code),
  snapshotYears: () => native.regionSnapshotYears(),
}

/**
 * Validates the NIK or KK column of a CSV file on the libuv thread pool,
 * writing the verdict file; resolves to the summary.
 */
function validateFile(input, output, opts = {}) {
  const { onProgress, check, ...rest } = opts
  const cb = onProgress ? (p) => onProgress(p) : undefined
  return native.validateFile(input, output, { ...rest, check: checkOpts(check) }, cb)
}

const name = {
  normalize: (s) => native.nameNormalize(s),
  matchingKey: (s) => native.nameMatchingKey(s),
  phoneticKey: (s) => native.namePhoneticKey(s),
  blockingKeys: (s) => native.nameBlockingKeys(s),
  /** Every anomaly (`[{code, severity, message, mother?}]`), empty for a clean name. */
  check: (s) => native.nameCheck(s),
  similarity: (a, b) => native.nameSimilarity(a, b),
  /** `{combined, token, jaroWinkler, levenshtein}`. */
  similarityScores: (a, b) => native.nameSimilarityScores(a, b),
  /**
   * Jaro-Winkler of `query`'s matching key against each candidate MATCHING
   * KEY (e.g. from an index), as a `Float64Array`; with `cutoff` in [0, 1],
   * scores below it are 0 and a lossless prefilter skips most candidates.
   */
  jaroWinklerBlock: (query, keys, cutoff) => native.nameJaroWinklerBlock(query, keys, cutoff ?? null),
  DEFAULT_THRESHOLD: native.nameDefaultThreshold(),
}

const camel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())

/** Renames snake_case keys to camelCase, recursively (SCREAMING codes stay). */
function camelDeep(v) {
  if (Array.isArray(v)) return v.map(camelDeep)
  if (v === null || typeof v !== 'object') return v
  const out = {}
  for (const [k, x] of Object.entries(v)) out[camel(k)] = camelDeep(x)
  return out
}

const matching = {
  /**
   * Verifies one submitted record (Dukcapil column name → text) against the
   * register record with the same NIK (`null` when none).
   */
  verify: (submitted, reference, opts = {}) => native.matchingVerify(submitted, reference ?? null, opts.policyToml),
  /**
   * Batch pemadanan on the libuv thread pool: agency CSV against the register
   * CSV, result files into `outDir`; resolves to the summary
   * (`received = matched + anomaly + duplicate + unmatched + nikNotFound`).
   */
  async run(agency, population, outDir, opts = {}) {
    const { onProgress, referenceDate, ...rest } = opts
    const summary = await native.matchingRun(agency, population, outDir, { ...rest, referenceDate: toIsoDate(referenceDate) }, onProgress ? (p) => onProgress(p) : undefined)
    return camelDeep(summary)
  },
  /**
   * Duplicate persons within one CSV file on the libuv thread pool: one NIK
   * used by two persons (`NIK_SHARED`), one person under two NIKs
   * (`PERSON_MULTIPLE_NIK`); writes `duplikat.csv` and `summary.json` into
   * `outDir` and resolves to the summary.
   */
  async dedupe(path, outDir, opts = {}) {
    const summary = await native.matchingDedupe(path, outDir, { mappingToml: opts.mappingToml, accept: opts.accept })
    return camelDeep(summary)
  },
}

const sample = {
  /**
   * Writes the deterministic sample register, agency file and truth files
   * into `outDir` on the libuv thread pool; resolves to the counts.
   */
  generate(outDir, opts = {}) {
    const { onProgress, ...rest } = opts
    return native.sampleGenerate(outDir, rest, onProgress ? (p) => onProgress(p) : undefined)
  },
}

const qr = {
  Issuer: native.QrIssuer,
  Verifier: native.QrVerifier,
  generateJwks: (signKid, encKid) => native.qrGenerateJwks(signKid, encKid),
  publicJwks: (jwks) => native.qrPublicJwks(jwks),
}

const sam = {
  tdesEncryptCbc: native.tdesEncryptCbc,
  tdesDecryptCbc: native.tdesDecryptCbc,
  retailMac: native.retailMac,
  kdf: native.kdf,
  mrzInformation: native.mrzInformation,
  icaoKeySeed: native.icaoKeySeed,
  sha256: native.sha256,
  ecdsaP256Verify: native.ecdsaP256Verify,
  apdu: { parse: native.apduParse, encode: native.apduEncode, parseResponse: native.responseParse },
  statusWordMeaning: native.statusWordMeaning,
  MutualAuth: native.MutualAuth,
  SecureMessaging: native.SecureMessaging,
  VirtualChip: native.VirtualChip,
}

const events = {
  /**
   * Diffs two register snapshot CSV files (sorted by NIK or not) into typed
   * change events on the libuv thread pool: events as JSON lines (`opts.out`
   * or `outDir/events.jsonl`), `anomalies.jsonl`, `summary.json` and, with
   * `opts.subscriptions` (TOML), one `<agency>.jsonl` per agency in the same
   * pass. Resolves to the summary exactly as in `summary.json`.
   */
  async diff(oldPath, newPath, opts) {
    const { onProgress, asOf, since, ...rest } = opts ?? {}
    return native.eventsDiff(oldPath, newPath, { ...rest, asOf: toIsoDate(asOf), since: toIsoDate(since) }, onProgress ? (p) => onProgress(p) : undefined)
  },
  /** Diffs two small snapshots given as CSV text, in memory: `{ events, anomalies, summary }`. */
  diffCsv: (oldCsv, newCsv, opts) => native.eventsDiffCsv(oldCsv, newCsv, toIsoDate(opts.asOf), toIsoDate(opts.since)),
  /**
   * Applies events to an agency CSV on the thread pool (idempotent), writing
   * `out` and the change log (`opts.log`, default `<out>.log.csv`); resolves
   * to the counts.
   */
  apply: async (data, eventsPath, out, opts = {}) => native.eventsApply(data, eventsPath, out, opts.log ?? `${out}.log.csv`),
  /**
   * Counts events by M-SINK category × region level (`province`, `regency`,
   * `district`, `village`) × period (`day`, `month`, `year`,
   * `YYYY-MM-DD..YYYY-MM-DD`) on the thread pool; resolves to `{ events,
   * events_counted, rows }` (and writes CSV to `opts.csv`).
   */
  aggregate: async (eventsPath, opts = {}) => native.eventsAggregate(eventsPath, opts.level ?? 'province', opts.period ?? 'month', opts.csv),
  /** Routes an events file to one `<agency>.jsonl` per agency (one read); resolves to the counts per agency. */
  route: async (eventsPath, subscriptions, outDir) => native.eventsRoute(eventsPath, subscriptions, outDir),
}

const privacy = {
  /** Agency token key: `new TokenKey(kid, secret32)`, `TokenKey.generate(kid)`, `TokenKey.fromJwk(json)`. */
  TokenKey: native.TokenKey,
  /** Append-only access log: `new AuditLog(path, syncEveryEntry?)`. */
  AuditLog: native.AuditLog,
  /** The NIK token; an invalid NIK throws with its NIK code. */
  tokenizeNik: (key, nik, referenceDate) => key.tokenizeNik(nik, toIsoDate(referenceDate)),
  /** The element token of a name's matching key + birth date. */
  tokenizeElement: (key, name, birthDate) => key.tokenizeElement(name, toIsoDate(birthDate)),
  /** Tokens of many NIKs on the thread pool: `[{token, code}]`. */
  tokenizeMany: (key, niks, referenceDate) => key.tokenizeMany(niks, toIsoDate(referenceDate)),
  /**
   * Verifies a log: a path (Promise; its `.checkpoints` file is read too) or
   * the log's bytes (synchronous, with `opts.checkpoints` bytes). A damaged
   * log is a report with `valid: false`, `code` and the first bad `entry`.
   */
  verifyLog(log, opts = {}) {
    if (typeof log === 'string') return native.privacyVerifyLogFile(log, opts.publicJwk ?? null)
    return native.privacyVerifyLog(log, opts.checkpoints ?? null, opts.publicJwk ?? null)
  },
  /** Inclusion proof (JSON text) of entry `index` (Promise). */
  prove: (path, index) => native.privacyProve(path, index),
  /** Checks an inclusion proof; returns the entry number or throws `AUDIT_PROOF_INVALID`. */
  verifyProof: (proofJson, publicJwk) => native.privacyVerifyProof(proofJson, publicJwk ?? null),
  /** Cuts a torn last entry off a log after a crash (Promise `{entries, removedBytes}`). */
  recover: (path) => native.privacyRecover(path),
}

module.exports = {
  version: native.version(),
  codes: native.codes(),
  errorForCode: native.errorForCode,
  nik,
  kk,
  region,
  validateFile,
  name,
  qr,
  sam,
  sample,
  matching,
  events,
  diff: events.diff,
  applyEvents: events.apply,
  aggregate: events.aggregate,
  privacy,
}
