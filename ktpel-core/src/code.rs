//! The one vocabulary of error and warning codes shared by every surface.
//!
//! Each module keeps its own `thiserror` enum (`NikError`, `QrError`, …), and
//! every variant maps to exactly one [`Code`]. A code has:
//!
//! - a stable SCREAMING_SNAKE name ([`Code::as_str`]) — the `.code` of a Python
//!   exception or a JavaScript `Error`;
//! - a stable number ([`Code::as_u32`]) — the C `ktpel_status` value.
//!
//! Numbers are grouped by module and never reused: a retired code stays here as
//! a comment. The same code means the same thing everywhere (for example
//! `EMPTY` is "the value is empty" whether it is a NIK or a name).
//!
//! | range | module |
//! |---|---|
//! | 0–99 | general (`OK`, `PANIC`, argument and I/O errors) |
//! | 100–199 | `nik`, `kk`, `region` |
//! | 200–299 | `name` |
//! | 300–399 | `matching` |
//! | 400–499 | `events` |
//! | 500–599 | `qr` |
//! | 600–699 | `sam` |
//! | 700–799 | `privacy` |

macro_rules! define_codes {
    ($( $(#[$meta:meta])* $variant:ident = $num:literal => $name:literal, $desc:literal; )*) => {
        /// A stable error or warning code shared by Rust, C, Python and Node.
        ///
        /// ```
        /// use ktpel_core::Code;
        /// assert_eq!(Code::WrongLength.as_str(), "WRONG_LENGTH");
        /// assert_eq!(Code::from_name("WRONG_LENGTH"), Some(Code::WrongLength));
        /// assert_eq!(Code::from_u32(Code::WrongLength.as_u32()), Some(Code::WrongLength));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$meta])* $variant = $num, )*
        }

        impl Code {
            /// Every code, in numeric order of definition.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The SCREAMING_SNAKE name, e.g. `"INVALID_BIRTH_DATE"`.
            pub const fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            /// The stable number (the C `ktpel_status` value).
            pub const fn as_u32(self) -> u32 {
                self as u32
            }

            /// A one-line English description a clerk can act on.
            pub const fn description(self) -> &'static str {
                match self { $( Code::$variant => $desc, )* }
            }

            /// The code with this number, if any.
            pub const fn from_u32(n: u32) -> Option<Code> {
                match n { $( $num => Some(Code::$variant), )* _ => None }
            }

            /// The code with this SCREAMING_SNAKE name, if any.
            pub fn from_name(name: &str) -> Option<Code> {
                match name { $( $name => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

define_codes! {
    // ---- general 0..99 -------------------------------------------------
    /// Success (C status only).
    Ok = 0 => "OK", "success";
    /// A panic was caught at a language boundary; this is a bug in ktpel.
    Panic = 1 => "PANIC", "internal error (a bug in ktpel); please report it";
    /// A required argument was missing (NULL pointer in C).
    NullArgument = 2 => "NULL_ARGUMENT", "a required argument was missing (NULL)";
    /// An argument was not valid UTF-8.
    InvalidUtf8 = 3 => "INVALID_UTF8", "text is not valid UTF-8";
    /// An argument had a value outside what the function accepts.
    InvalidArgument = 4 => "INVALID_ARGUMENT", "an argument has a value the function does not accept";
    /// A caller buffer was too small; the required length was reported.
    BufferTooSmall = 5 => "BUFFER_TOO_SMALL", "the output buffer is too small";
    /// Reading or writing a file failed.
    Io = 6 => "IO", "reading or writing a file failed";
    /// A CSV file could not be read.
    Csv = 7 => "CSV", "a CSV file could not be read";
    /// A configuration file (policy, mapping, subscriptions) is invalid.
    InvalidConfig = 8 => "INVALID_CONFIG", "a configuration file is invalid";
    /// A CSV file has no column with the requested name.
    ColumnNotFound = 9 => "COLUMN_NOT_FOUND", "the file has no column with that name";
    /// One CSV row could not be read (wrong number of columns, broken quoting); it is reported, not dropped.
    MalformedRow = 10 => "MALFORMED_ROW", "the row could not be read (wrong number of columns or broken quoting)";
    /// Warning: a row was not UTF-8 and was decoded as Latin-1 (Windows-1252 exports).
    Latin1Decoded = 11 => "LATIN1_DECODED", "the row was not UTF-8 and was read as Latin-1";
    /// Warning about a whole column: far too many numbers end in 0, the mark of a spreadsheet keeping 15 digits.
    ColumnSpreadsheetSuspected = 12 => "COLUMN_SPREADSHEET_SUSPECTED", "many numbers in the column end in 0: a spreadsheet probably dropped the 16th digit; re-export the column as text";
    // ---- nik / kk / region 100..199 -------------------------------------
    /// The value is empty.
    Empty = 100 => "EMPTY", "the value is empty";
    /// Not exactly 16 digits.
    WrongLength = 101 => "WRONG_LENGTH", "a NIK or KK number has exactly 16 digits";
    /// A character other than an ASCII digit.
    NonDigit = 102 => "NON_DIGIT", "only the digits 0-9 are allowed";
    /// The number was mangled by a spreadsheet (scientific notation, `.0`, lost digits).
    SpreadsheetCorrupted = 103 => "SPREADSHEET_CORRUPTED", "the number was mangled by a spreadsheet (e.g. 3.17401E+15); export the column as text";
    /// Province code never issued.
    UnknownProvince = 104 => "UNKNOWN_PROVINCE", "the province code (digits 1-2) was never issued";
    /// Regency/city code never issued.
    UnknownRegency = 105 => "UNKNOWN_REGENCY", "the regency/city code (digits 3-4) was never issued in this province";
    /// District code never issued.
    UnknownDistrict = 106 => "UNKNOWN_DISTRICT", "the district code (digits 5-6) was never issued in this regency";
    /// Birth (or KK issue) date is not a calendar date.
    InvalidBirthDate = 107 => "INVALID_BIRTH_DATE", "digits 7-12 are not a real date (DDMMYY, women: day + 40)";
    /// Birth date lies after the reference date.
    FutureBirthDate = 108 => "FUTURE_BIRTH_DATE", "the birth date lies in the future";
    /// Serial `0000`.
    InvalidSerial = 109 => "INVALID_SERIAL", "the serial (digits 13-16) may not be 0000";
    /// KK: date digits are not a calendar date.
    InvalidIssueDate = 110 => "INVALID_ISSUE_DATE", "digits 7-12 of a KK number are not a real date (DDMMYY, no +40)";
    /// KK: issue date after the reference date.
    FutureIssueDate = 111 => "FUTURE_ISSUE_DATE", "the KK issue date lies in the future";
    /// A region code is malformed (wrong digits, level or structure).
    InvalidRegionCode = 112 => "INVALID_REGION_CODE", "a region code is malformed";
    /// A region code was never issued.
    UnknownRegion = 113 => "UNKNOWN_REGION", "the region code was never issued";
    /// Warning: the region code existed in an earlier regulation only.
    HistoricRegionCode = 150 => "HISTORIC_REGION_CODE", "the region code is historic (issued before a regency split); still valid";
    /// Warning: lenient mode removed whitespace or separators.
    SeparatorsRemoved = 151 => "SEPARATORS_REMOVED", "spaces, dots or dashes were removed";
    /// Warning: both 19YY and 20YY are possible birth years.
    CenturyAmbiguous = 152 => "CENTURY_AMBIGUOUS", "the two-digit year fits both 19YY and 20YY";
    /// Info: birth date is 1 July, a placeholder used when the real date is unknown.
    PlaceholderDateJul1 = 153 => "PLACEHOLDER_DATE_JUL_1", "birth date 1 July is often a placeholder for an unknown date";
    /// Info: birth date is 31 December, a placeholder used when the real date is unknown.
    PlaceholderDateDec31 = 154 => "PLACEHOLDER_DATE_DEC_31", "birth date 31 December is often a placeholder for an unknown date";
    /// Warning: the known birth year given by the caller does not end in the NIK's two year digits.
    BirthYearMismatch = 155 => "BIRTH_YEAR_MISMATCH", "the known birth year does not match the year digits of the NIK";
    // ---- name 200..299 ---------------------------------------------------
    /// A name without a single letter.
    NoLetters = 200 => "NO_LETTERS", "the name has no letters";
    /// A name with digits in it.
    ContainsDigits = 201 => "CONTAINS_DIGITS", "the name contains digits";
    /// A stand-in for an unknown name (NN, XXX, -, TIDAK ADA, TANPA NAMA, ...).
    Placeholder = 202 => "PLACEHOLDER", "the name is a placeholder (NN, XXX, -, TIDAK ADA, ...), not a name";
    /// A name of single letters only.
    SingleLetter = 203 => "SINGLE_LETTER", "the name is only single letters";
    /// A letter three times in a row, or a word of one repeated letter.
    RepeatedCharacters = 204 => "REPEATED_CHARACTERS", "the name has runs of repeated characters";
    /// Longer than the register's 60-character name field.
    TooLong = 205 => "TOO_LONG", "the name is longer than the register field (60 characters)";
    /// A newborn registered before naming (BAYI NY. SITI); the mother's name is extracted.
    NewbornPlaceholder = 206 => "NEWBORN_PLACEHOLDER", "newborn placeholder (BAYI NY. ...): register the child's own name";
    /// Warning: one word only (Permendagri 73/2022 asks for at least two).
    SingleWord = 250 => "SINGLE_WORD", "the name is a single word; Permendagri 73/2022 asks for at least two";
    /// Warning: initials or abbreviations (M. ARIF, MOCH, ABD).
    Abbreviated = 251 => "ABBREVIATED", "the name is abbreviated (M., MOCH, ABD); Permendagri 73/2022 asks for no abbreviations";
    // ---- end name --------------------------------------------------------
    // ---- matching 300..399 -----------------------------------------------
    /// A date could not be read with the mapping's date formats.
    UnparseableDate = 300 => "UNPARSEABLE_DATE", "a date could not be read; write it as DD-MM-YYYY or declare its format in the mapping file";
    /// A sex value is not in the code table.
    UnknownSexCode = 301 => "UNKNOWN_SEX_CODE", "the sex is not a known code (L/P, LAKI-LAKI/PEREMPUAN, 1/2, M/F); add it to sex_codes in the mapping file";
    /// A living-status value is not in the code table.
    UnknownStatusCode = 302 => "UNKNOWN_STATUS_CODE", "the status is not a known code (HIDUP/MATI); add it to status_codes in the mapping file";
    /// A column the mapping names is not in the file.
    MappingColumnMissing = 303 => "MAPPING_COLUMN_MISSING", "a column named in the mapping is not in the file's header";
    /// The file has no column for the NIK.
    NoNikColumn = 304 => "NO_NIK_COLUMN", "the file has no NIK column; name it NIK or map it in the mapping file";
    /// The population file has no STATUS column.
    NoStatusColumn = 305 => "NO_STATUS_COLUMN", "the population file has no STATUS column: deceased residents cannot be recognised";
    /// The same NIK appears on an earlier row of the agency file.
    DuplicateKey = 310 => "DUPLICATE_KEY", "the NIK already appears on an earlier row; the row is set aside as a duplicate";
    /// The same element combination appears on an earlier row.
    DuplicateCombination = 311 => "DUPLICATE_COMBINATION", "an earlier row has the same name, birth date, sex and mother's name; the row is set aside as a duplicate";
    /// No register record has this NIK.
    NikNotFound = 312 => "NIK_NOT_FOUND", "no resident has this NIK (NIK_TIDAK_DITEMUKAN)";
    /// Some required element disagrees with the register.
    ElementsDisagree = 313 => "ELEMENTS_DISAGREE", "the record does not agree with the register on the agreed elements (TIDAK_SESUAI)";
    /// Day and month are swapped relative to the register (accepted, flagged).
    DayMonthSwapped = 314 => "DAY_MONTH_SWAPPED", "day and month of the birth date are swapped relative to the register; accepted, please correct";
    /// The matched resident is recorded as deceased.
    Deceased = 315 => "DECEASED", "the matched resident is recorded as deceased (MATI)";
    /// A NIK appears more than once in the population file.
    PopulationDuplicateNik = 316 => "POPULATION_DUPLICATE_NIK", "the population file has this NIK more than once; the first row is used";
    /// The categories of a batch do not add up (a bug).
    CategorySumMismatch = 317 => "CATEGORY_SUM_MISMATCH", "the batch categories do not add up to the rows received (a bug in ktpel; please report it)";
    /// The population row could not be used.
    PopulationRowSkipped = 318 => "POPULATION_ROW_SKIPPED", "a population row could not be read or has no valid NIK and was skipped";
    /// A memory budget could not be parsed or is too small.
    InvalidMemoryBudget = 319 => "INVALID_MEMORY_BUDGET", "the memory budget is not a size such as 512M or 4G, or is too small";
    /// The record's NIK was recovered by record linkage.
    Recovered = 320 => "RECOVERED", "the record's NIK was recovered from its other elements";
    /// NIK recovery was asked for but the register did not fit one pass.
    RecoverySkipped = 321 => "RECOVERY_SKIPPED", "NIK recovery needs the whole register in memory; raise --memory-budget";
    // ---- end matching ----------------------------------------------------
    // ---- events 400..499 -------------------------------------------------
    /// The two register snapshots do not have the same columns.
    SnapshotHeaderMismatch = 400 => "SNAPSHOT_HEADER_MISMATCH", "the old and new snapshots have different columns; export both with the same columns";
    /// A line of an events file is not a ktpel event.
    BadEventLine = 401 => "BAD_EVENT_LINE", "a line of the events file is not an event written by ktpel diff";
    /// Anomaly: a resident recorded as deceased is alive in the later snapshot.
    Resurrected = 410 => "RESURRECTED", "a deceased resident is alive again in the later snapshot; check the death record";
    /// Anomaly: the birth date of a NIK changed between the snapshots.
    BirthDateChanged = 411 => "BIRTH_DATE_CHANGED", "the birth date (TGL_LHR) of a NIK changed between the snapshots; check both records";
    /// Anomaly: a marital status change no document can cause (e.g. KAWIN to BELUM KAWIN).
    ImpossibleMaritalTransition = 412 => "IMPOSSIBLE_MARITAL_TRANSITION", "the marital status (STAT_KWN) changed in a way no document causes (e.g. back to BELUM KAWIN)";
    /// Anomaly: a NIK appears twice in one snapshot; the first row is used.
    SnapshotDuplicateNik = 413 => "SNAPSHOT_DUPLICATE_NIK", "the NIK appears more than once in one snapshot; the first row is used";
    /// Anomaly: a snapshot row has no 16-digit NIK and cannot be compared.
    SnapshotInvalidNik = 414 => "SNAPSHOT_INVALID_NIK", "the snapshot row has no 16-digit NIK and cannot be compared";
    // ---- end events ------------------------------------------------------
    // ---- qr 500..599 -----------------------------------------------------
    /// The token is not a well-formed IKD QR token (prefix, Base45, CBOR or COSE structure).
    Malformed = 500 => "MALFORMED", "the QR token is damaged or not an IKD token; scan it again";
    /// The token has an `IKDn:` prefix with a version this library does not know.
    UnknownVersion = 501 => "UNKNOWN_VERSION", "the QR token uses a newer format version; update the scanner software";
    /// The token or its decompressed content is larger than the documented limit.
    TokenTooLarge = 502 => "TOKEN_TOO_LARGE", "the QR token is larger than an IKD token can be";
    /// The zlib stream inside the token could not be decompressed.
    DecompressFailed = 503 => "DECOMPRESS_FAILED", "the QR token content could not be decompressed; scan it again";
    /// No trusted signing key or decryption key has the token's `kid`.
    UnknownKey = 504 => "UNKNOWN_KEY", "the token was made with a key this scanner does not have; update the key set";
    /// The token uses an algorithm or critical header other than ES256 / A256GCM.
    UnsupportedAlgorithm = 505 => "UNSUPPORTED_ALGORITHM", "the token uses an algorithm this scanner does not accept";
    /// A256GCM decryption failed (wrong key or altered token).
    DecryptFailed = 506 => "DECRYPT_FAILED", "the token could not be decrypted: wrong key or altered token";
    /// The ES256 signature does not verify.
    BadSignature = 507 => "BAD_SIGNATURE", "the token signature is not valid: the token is forged or altered";
    /// The token is signed but not encrypted, and this verifier requires encryption.
    EncryptionRequired = 508 => "ENCRYPTION_REQUIRED", "the token is not encrypted; only encrypted IKD tokens are accepted";
    /// The token's `exp` (plus leeway) lies in the past.
    Expired = 509 => "EXPIRED", "the token has expired; ask the holder to show a fresh QR code";
    /// The token's `nbf` or `iat` (minus leeway) lies in the future.
    NotYetValid = 510 => "NOT_YET_VALID", "the token is not valid yet; check the scanner's clock";
    /// `exp - iat` exceeds the allowed time-to-live.
    TtlTooLong = 511 => "TTL_TOO_LONG", "the token lives longer than allowed (90 seconds by default)";
    /// The token's `aud` does not name this verifier.
    WrongAudience = 512 => "WRONG_AUDIENCE", "the token is addressed to another agency (aud)";
    /// The token's `iss` is not the expected issuer.
    WrongIssuer = 513 => "WRONG_ISSUER", "the token comes from an issuer this scanner does not accept (iss)";
    /// A required claim (`iss`, `iat`, `exp`, `cti`, identity, `aud`) is missing.
    MissingClaim = 514 => "MISSING_CLAIM", "the token lacks a required claim";
    /// A claim has the wrong type or an impossible value.
    InvalidClaim = 515 => "INVALID_CLAIM", "a claim in the token has the wrong type or an impossible value";
    /// The token's `cti` was already used: single-use tokens can be scanned once.
    Replayed = 516 => "REPLAYED", "this QR code was already scanned; ask the holder to show a fresh one";
    /// The replay store could not be reached; the token was not accepted.
    ReplayStoreUnavailable = 517 => "REPLAY_STORE_UNAVAILABLE", "the replay store (e.g. Redis) is unreachable; the token was not accepted";
    /// The in-memory replay store is at its memory bound with live entries.
    ReplayStoreFull = 518 => "REPLAY_STORE_FULL", "the replay store is full of live tokens; the token was not accepted";
    /// Key material (PEM, DER, JWK, JWK Set) is invalid or of the wrong type.
    InvalidKey = 519 => "INVALID_KEY", "a key is invalid or of the wrong type (ES256 P-256 or A256GCM expected)";
    /// The requested time-to-live is zero or above the issuer's maximum.
    InvalidTtl = 520 => "INVALID_TTL", "the time-to-live must be between 1 second and the configured maximum";
    /// The operating system's random number generator failed.
    RandomnessUnavailable = 521 => "RANDOMNESS_UNAVAILABLE", "the system random number generator failed";
    // ---- end qr ----------------------------------------------------------
    // ---- sam 600..699 ----------------------------------------------------
    /// A key has the wrong length for its use (TDES 16 or 24 bytes, P-256 32 bytes).
    SamInvalidKey = 600 => "SAM_INVALID_KEY", "a key has the wrong length (2-key TDES: 16 bytes, 3-key TDES: 24 bytes)";
    /// A TDES key is weak or degenerates to single DES.
    SamWeakKey = 601 => "SAM_WEAK_KEY", "the TDES key is weak or its parts are equal (degenerates to single DES)";
    /// A hexadecimal argument is malformed.
    SamInvalidHex = 602 => "SAM_INVALID_HEX", "hexadecimal input has an odd length or a non-hex character";
    /// Data for raw CBC or an IV has the wrong length.
    SamInvalidLength = 603 => "SAM_INVALID_LENGTH", "data must be a multiple of 8 bytes (the DES block) and the IV exactly 8 bytes";
    /// ISO 9797-1 padding method 2 is missing or malformed.
    SamBadPadding = 604 => "SAM_BAD_PADDING", "decrypted data does not end in ISO 9797-1 padding method 2 (80 00..)";
    /// An APDU is malformed (lengths do not add up, Lc/Le out of range).
    SamApduMalformed = 605 => "SAM_APDU_MALFORMED", "an APDU is malformed: its length fields do not match its size";
    /// The card answered with an error status word.
    SamCardError = 606 => "SAM_CARD_ERROR", "the card answered with an error status word";
    /// Mutual authentication: the card's MAC (M.IC) is wrong.
    SamAuthMacMismatch = 607 => "SAM_AUTH_MAC_MISMATCH", "mutual authentication failed: the card's MAC is wrong (wrong keys or a forged answer)";
    /// Mutual authentication: the card did not echo the reader's nonce.
    SamAuthNonceMismatch = 608 => "SAM_AUTH_NONCE_MISMATCH", "mutual authentication failed: the card did not return the reader's challenge (replay)";
    /// Mutual authentication: a card answer had the wrong length.
    SamAuthResponseLength = 609 => "SAM_AUTH_RESPONSE_LENGTH", "mutual authentication failed: a card answer is too short or too long";
    /// A protocol step was called out of order.
    SamWrongState = 610 => "SAM_WRONG_STATE", "a protocol step was called out of order";
    /// The session failed earlier and may not be used again.
    SamSessionClosed = 611 => "SAM_SESSION_CLOSED", "the session was closed by an earlier failure; authenticate again";
    /// Secure messaging: the response MAC (DO'8E) is wrong.
    SamSmMacMismatch = 612 => "SAM_SM_MAC_MISMATCH", "secure messaging: the response MAC is wrong (tampering, replay or wrong session)";
    /// Secure messaging: a data object is missing or malformed.
    SamSmMalformed = 613 => "SAM_SM_MALFORMED", "secure messaging: a data object (DO'87, DO'99, DO'8E) is missing or malformed";
    /// Secure messaging: the plain status word differs from the protected one (DO'99).
    SamSmStatusMismatch = 614 => "SAM_SM_STATUS_MISMATCH", "secure messaging: the unprotected status word differs from the MAC-protected DO'99";
    /// The send sequence counter would wrap around.
    SamSscOverflow = 615 => "SAM_SSC_OVERFLOW", "secure messaging: the send sequence counter is exhausted; authenticate again";
    /// The signer of a security object is not in the trusted issuer list.
    SamUntrustedIssuer = 616 => "SAM_UNTRUSTED_ISSUER", "the document-signing key is not in the trusted issuer list";
    /// A security object (signed hash list) is malformed.
    SamSecurityObjectMalformed = 617 => "SAM_SECURITY_OBJECT_MALFORMED", "the security object (signed list of file hashes) is malformed";
    /// A file's SHA-256 differs from the signed one: altered data.
    SamFileHashMismatch = 618 => "SAM_FILE_HASH_MISMATCH", "a file's SHA-256 differs from the issuer-signed hash: the data was altered";
    /// A file is not covered by the security object.
    SamFileNotSigned = 619 => "SAM_FILE_NOT_SIGNED", "the file is not listed in the security object, so it cannot be trusted";
    /// Chip authentication failed: the chip could not prove it holds its private key (clone).
    SamChipAuthFailed = 620 => "SAM_CHIP_AUTH_FAILED", "chip authentication failed: the chip does not hold the private key of its signed public key (likely a clone)";
    /// The key provider (memory or a hardware SAM) failed.
    SamKeyProvider = 621 => "SAM_KEY_PROVIDER", "the key provider (hardware SAM) failed";
    /// The transport (PC/SC reader, network) failed.
    SamTransport = 622 => "SAM_TRANSPORT", "the card reader connection failed (PC/SC)";
    /// ECDSA: the public key is not a valid P-256 point.
    EcdsaInvalidPublicKey = 640 => "ECDSA_INVALID_PUBLIC_KEY", "the public key is not a valid SEC1-encoded P-256 point";
    /// ECDSA: the signature is not well formed.
    EcdsaInvalidSignatureEncoding = 641 => "ECDSA_INVALID_SIGNATURE_ENCODING", "the signature is not well formed (raw r||s: 64 bytes; DER must be strict)";
    /// ECDSA: the signature does not verify.
    EcdsaBadSignature = 642 => "ECDSA_BAD_SIGNATURE", "the signature does not match the data and the public key";
    /// ECDSA: the private key is not a valid scalar.
    EcdsaInvalidPrivateKey = 643 => "ECDSA_INVALID_PRIVATE_KEY", "the private key is not a valid P-256 scalar";
    // ---- end sam ---------------------------------------------------------
    // ---- privacy 700..799 ------------------------------------------------
    /// A token key (or its key file) is invalid.
    TokenKeyInvalid = 700 => "TOKEN_KEY_INVALID", "the token key is invalid: it needs a key id of 1-8 characters 0-9 A-Z (no I, L, O, U) and 32 secret bytes";
    /// A text is not a token of a known version and kind.
    InvalidToken = 701 => "INVALID_TOKEN", "the value is not a ktpel token (N1/E1 + key id + '-' + 16 characters)";
    /// A token was made with a different key than the one expected.
    TokenKeyMismatch = 702 => "TOKEN_KEY_MISMATCH", "the token was made with another key id; both sides must tokenize with the same key";
    /// The audit log's last record is incomplete (a crash while writing).
    AuditTruncatedTail = 720 => "AUDIT_TRUNCATED_TAIL", "the last audit entry is incomplete (the writer stopped mid-write); everything before it is intact; run `ktpel audit recover` to cut it off";
    /// An audit entry cannot be read or is not in canonical form.
    AuditMalformedEntry = 721 => "AUDIT_MALFORMED_ENTRY", "an audit entry is not a well-formed canonical record: the file was edited";
    /// An audit entry's hash does not match its content.
    AuditHashMismatch = 722 => "AUDIT_HASH_MISMATCH", "an audit entry's content does not match its hash: the entry was altered";
    /// An audit entry does not carry the hash of the entry before it.
    AuditChainBroken = 723 => "AUDIT_CHAIN_BROKEN", "an audit entry does not follow the one before it: entries were removed, reordered or inserted";
    /// An audit entry's sequence number is not its position.
    AuditSequenceMismatch = 724 => "AUDIT_SEQUENCE_MISMATCH", "an audit entry's number is not its position: entries were removed, reordered or inserted";
    /// A signed checkpoint covers more entries than the log holds.
    AuditEntriesMissing = 725 => "AUDIT_ENTRIES_MISSING", "a signed checkpoint covers more entries than the log holds: entries at the end were removed";
    /// A signed checkpoint's root or chain head differs from the log.
    AuditCheckpointMismatch = 726 => "AUDIT_CHECKPOINT_MISMATCH", "the log differs from what a signed checkpoint recorded: entries were altered or replaced";
    /// A checkpoint signature does not verify.
    AuditBadSignature = 727 => "AUDIT_BAD_SIGNATURE", "a checkpoint's signature does not verify with the given public key";
    /// A Merkle inclusion proof does not verify.
    AuditProofInvalid = 728 => "AUDIT_PROOF_INVALID", "the inclusion proof does not lead to the signed root: the entry is not in the log";
    /// An audit entry field is empty or too long.
    AuditInvalidField = 729 => "AUDIT_INVALID_FIELD", "an audit entry field is empty or longer than 1024 bytes";
    // ---- end privacy -----------------------------------------------------
}

impl core::fmt::Display for Code {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Implemented by every module's error type: the stable [`Code`] of an error.
pub trait HasCode {
    /// The stable code of this error.
    fn code(&self) -> Code;
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeSet;

    #[test]
    fn names_and_numbers_are_unique_and_round_trip() {
        let mut names = BTreeSet::new();
        let mut nums = BTreeSet::new();
        for &c in Code::ALL {
            assert!(names.insert(c.as_str()), "duplicate name {}", c.as_str());
            assert!(nums.insert(c.as_u32()), "duplicate number {}", c.as_u32());
            assert_eq!(Code::from_u32(c.as_u32()), Some(c));
            assert_eq!(Code::from_name(c.as_str()), Some(c));
            assert!(
                c.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            );
            assert!(!c.description().is_empty());
        }
        assert_eq!(Code::from_u32(99_999), None);
    }
}
