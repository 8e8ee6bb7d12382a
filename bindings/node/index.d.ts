// Types of the idiomatic ktpel API (index.js). The native declarations that
// napi generates are in native.d.ts (committed; CI rebuilds and diffs them).
import type * as native from './native'

/** An error thrown or rejected by ktpel: `code` is the shared stable code. */
export interface KtpelError extends Error {
  /** SCREAMING_SNAKE code, the same in Rust, C, Python and Node (e.g. `INVALID_BIRTH_DATE`). */
  code: string
}

/** Options of a NIK/KK check. */
export interface CheckOptions {
  /** `strict` (default): exactly 16 digits; `lenient`: separators and spaces removed first. */
  mode?: 'strict' | 'lenient'
  /** Date the two-digit year is resolved against (ISO string or `Date`); today by default. */
  referenceDate?: string | Date
  /** Birth year known from another source (NIK only). */
  birthYear?: number
}

/** Result of `nik.check`: never thrown; `valid` and `code` give the verdict. */
export interface NikCheck extends native.NikCheckInfo {
  /** The birth date as a `Date` at UTC midnight. */
  birthDateAsDate: Date | null
}

/** Result of `kk.check`. */
export interface KkCheck extends native.KkCheckInfo {
  issueDateAsDate: Date | null
}

/** Column-wise result of `nik.checkMany` (one entry per input, in order). */
export declare class NikBatch implements Iterable<NikCheck> {
  readonly length: number
  /** The raw column arrays. */
  readonly columns: native.NikColumns
  isValid(i: number): boolean
  code(i: number): string | null
  warnings(i: number): string[]
  sex(i: number): 'L' | 'P' | null
  birthDate(i: number): Date | null
  validCount(): number
  /** The full result of input `i` (same as `nik.check`). */
  get(i: number): NikCheck
  toArray(): NikCheck[]
  [Symbol.iterator](): Iterator<NikCheck>
}

export declare const version: string
/** The shared code registry. */
export declare const codes: native.CodeInfo[]
/** Throws the `KtpelError` of a code (used by tests to prove every code maps). */
export declare function errorForCode(name: string): never

export declare const nik: {
  /** Checks one NIK; never throws for a bad NIK. */
  check(input: string, opts?: CheckOptions): NikCheck
  /**
   * Checks many NIKs in parallel with one reference date: an array (or
   * iterable) of strings, or one text of `\n`-separated NIKs (e.g. a file's
   * content, the fastest form). Throws `INVALID_ARGUMENT` if an array element
   * contains a line break.
   */
  checkMany(inputs: Iterable<string> | string, opts?: CheckOptions): NikBatch
  /** Returns the 16 digits, or throws a `KtpelError`. */
  parse(input: string, opts?: CheckOptions): string
  /** `31.74.01.670190.0123`, or null. */
  formatDisplay(digits: string): string | null
}

export declare const kk: {
  check(input: string, opts?: CheckOptions): KkCheck
  parse(input: string, opts?: CheckOptions): string
}

export declare const region: {
  /** Throws `KtpelError` for unknown or malformed codes. */
  lookup(code: string): native.RegionInfo
  status(code: string): native.RegionStatusInfo
  /** Provinces when `code` is omitted. */
  children(code?: string | null): native.RegionInfo[]
  search(query: string, opts?: { level?: 'PROVINCE' | 'REGENCY' | 'DISTRICT' | 'VILLAGE'; prefix?: boolean }): native.RegionInfo[]
  toBps(code: string): string
  fromBps(code: string): string
  snapshotYears(): number[]
}

/** Options of `validateFile`. */
export interface ValidateFileOptions {
  kind?: 'nik' | 'kk'
  /** Column header; `NIK` or `NO_KK` by default. */
  column?: string
  format?: 'csv' | 'jsonl'
  delimiter?: string
  check?: CheckOptions
  /** Called on the main thread after each block. */
  onProgress?: (p: native.JobProgress) => void
}

/** Validates a CSV column on the libuv thread pool; resolves to the summary. */
export declare function validateFile(input: string, output: string, opts?: ValidateFileOptions): Promise<native.ValidateSummary>

export declare const name: {
  normalize(s: string): native.NormalizedNameInfo
  matchingKey(s: string): string
  phoneticKey(s: string): string
  blockingKeys(s: string): string[]
  /** Every anomaly, most severe first; empty for a clean name. */
  check(s: string): native.NameAnomalyInfo[]
  similarity(a: string, b: string): number
  similarityScores(a: string, b: string): native.SimilarityInfo
  /** Jaro-Winkler of the query's matching key against each candidate matching key; below `cutoff` (in [0, 1]) 0. */
  jaroWinklerBlock(query: string, keys: string[], cutoff?: number): Float64Array
  readonly DEFAULT_THRESHOLD: number
}

/** Summary of a batch match (the core's summary.json, camelCase keys). */
export interface MatchSummary {
  received: number
  matched: number
  matchedDeceased: number
  anomaly: number
  duplicate: number
  unmatched: number
  nikNotFound: number
  /** Anomalies and duplicates per code. */
  codes: Record<string, number>
  warnings: Record<string, number>
  population: { rows: number; loaded: number; skipped: number; duplicateNik: number; hasStatus: boolean; deceased: number }
  passes: number
  recovery: { rows: number; recovered: number; pairsScored: number; model: unknown } | null
}

export declare const matching: {
  /** One record against the register record with its NIK (`null`: none). */
  verify(submitted: Record<string, string>, reference: Record<string, string> | null, opts?: { policyToml?: string }): native.VerificationInfo
  /** Batch pemadanan on the thread pool; rejects with a `KtpelError`. */
  run(
    agency: string,
    population: string,
    outDir: string,
    opts?: { referenceDate?: string | Date; memoryBudget?: string; recover?: boolean; policyToml?: string; onProgress?: (p: native.MatchProgress) => void },
  ): Promise<MatchSummary>
  /** Duplicate persons within one file (thread pool); rejects with a `KtpelError`. */
  dedupe(
    path: string,
    outDir: string,
    opts?: { mappingToml?: string; accept?: number },
  ): Promise<{ rows: number; malformed: number; nikShared: number; personMultipleNik: number; pairsScored: number; model: unknown }>
}

/** Summary of a diff (the content of `summary.json`; keys as written there). */
export interface DiffSummary {
  as_of: string
  since: string
  since_derived: boolean
  old_rows: number
  new_rows: number
  unchanged: number
  persons_with_events: number
  sorted: boolean
  partitions: number
  events: Record<string, number>
  events_total: number
  anomalies: Record<string, number>
  anomalies_total: number
  agencies?: Record<string, number>
}

/** One row of the M-SINK table. */
export interface AggregateRow { period: string; region: string; category: string; documents: number; persons: number }

type DateLike = string | Date

export declare const events: {
  /** Snapshot diff on the thread pool; rejects with a `KtpelError`. */
  diff(
    oldPath: string,
    newPath: string,
    opts: { asOf: DateLike; since?: DateLike; out?: string; outDir?: string; subscriptions?: string; memoryBudget?: string; onProgress?: (p: native.DiffProgress) => void },
  ): Promise<DiffSummary>
  /** In-memory diff of two CSV texts. */
  diffCsv(oldCsv: string, newCsv: string, opts: { asOf: DateLike; since?: DateLike }): { events: Array<Record<string, any>>; anomalies: Array<Record<string, any>>; summary: DiffSummary }
  /** Idempotent apply on the thread pool. */
  apply(data: string, eventsPath: string, out: string, opts?: { log?: string }): Promise<Record<string, any>>
  /** M-SINK aggregates on the thread pool. */
  aggregate(eventsPath: string, opts?: { level?: string; period?: string; csv?: string }): Promise<{ events: number; events_counted: number; rows: AggregateRow[] }>
  /** One-read routing to per-agency files. */
  route(eventsPath: string, subscriptions: string, outDir: string): Promise<Record<string, number>>
}
/** `events.diff`. */
export declare const diff: typeof events.diff
/** `events.apply`. */
export declare const applyEvents: typeof events.apply
/** `events.aggregate`. */
export declare const aggregate: typeof events.aggregate

export declare const sample: {
  /** Writes the deterministic sample data into `outDir` (thread pool); resolves to the counts. */
  generate(outDir: string, opts?: { population?: number; agency?: number; seed?: number; onProgress?: (p: native.JobProgress) => void }): Promise<native.SampleSummary>
}

export declare const qr: {
  Issuer: typeof native.QrIssuer
  /** `verify()` returns a Promise (thread pool); rejects with a `KtpelError`. */
  Verifier: typeof native.QrVerifier
  generateJwks(signKid: string, encKid: string): string
  publicJwks(jwks: string): string
}

export declare const sam: {
  tdesEncryptCbc: typeof native.tdesEncryptCbc
  tdesDecryptCbc: typeof native.tdesDecryptCbc
  retailMac: typeof native.retailMac
  kdf(profile: 'ktpel' | 'icao', seed: Uint8Array, counter: number): Buffer
  mrzInformation: typeof native.mrzInformation
  icaoKeySeed: typeof native.icaoKeySeed
  sha256: typeof native.sha256
  ecdsaP256Verify: typeof native.ecdsaP256Verify
  apdu: { parse: typeof native.apduParse; encode: typeof native.apduEncode; parseResponse: typeof native.responseParse }
  statusWordMeaning: typeof native.statusWordMeaning
  MutualAuth: typeof native.MutualAuth
  SecureMessaging: typeof native.SecureMessaging
  VirtualChip: typeof native.VirtualChip
}

/** Result of `privacy.verifyLog`. */
export interface AuditVerifyReport {
  valid: boolean
  /** Entries read intact (all of them when valid). */
  entries: number
  /** Checkpoints that matched the log. */
  checkpoints: number
  /** Largest tree size covered by a good checkpoint. */
  signedSize: number
  signaturesChecked: boolean
  /** Merkle root of the intact entries (upper-case hex). */
  root: string
  /** `AUDIT_*` code of the first problem, null when valid. */
  code: string | null
  /** First bad entry (0-based), null when none is named. */
  entry: number | null
  checkpoint: number | null
  detail: string | null
}

export declare const privacy: {
  TokenKey: typeof native.TokenKey
  AuditLog: typeof native.AuditLog
  /** The NIK token (`N1<kid>-…`); throws a `KtpelError` with the NIK code for an invalid NIK. */
  tokenizeNik(key: native.TokenKey, nik: string, referenceDate?: string | Date): string
  /** The element token (`E1<kid>-…`) of name matching key + birth date. */
  tokenizeElement(key: native.TokenKey, name: string, birthDate?: string | Date): string
  /** Tokens of many NIKs on the thread pool. */
  tokenizeMany(key: native.TokenKey, niks: string[], referenceDate?: string | Date): Promise<native.TokenResult[]>
  /** A file path: Promise; bytes: synchronous. */
  verifyLog(log: string, opts?: { publicJwk?: string }): Promise<AuditVerifyReport>
  verifyLog(log: Uint8Array, opts?: { checkpoints?: Uint8Array; publicJwk?: string }): AuditVerifyReport
  prove(path: string, index: number): Promise<string>
  verifyProof(proofJson: string, publicJwk?: string): number
  recover(path: string): Promise<{ entries: number; removedBytes: number }>
}
