/*
 * The C test suite of ktpel: every vector of tests/vectors/{nik,kk,sam,qr,names,name_pairs,matching}.json
 * through the C API, plus the API conventions (NULL, buffer sizes, last
 * error, handles). Usage: test_ktpel VECTORS_DIR [TMP_DIR]
 * Prints "N passed, N failed" and exits non-zero on any failure.
 */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "ktpel.h"

static int passed, failed;
static int case_failures;

static void fail(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "FAIL %s:%d: ", file, line);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  case_failures++;
}

/* A check inside a case; the case counts once, as passed or failed. */
#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) fail(__FILE__, __LINE__, __VA_ARGS__);    \
  } while (0)

static void case_begin(void) { case_failures = 0; }
static void case_end(const char *what) {
  if (case_failures == 0) {
    passed++;
  } else {
    failed++;
    fprintf(stderr, "  ^ in case: %s\n", what);
  }
}

/* ---- helpers ------------------------------------------------------------ */

static const uint8_t *U(const char *s) { return (const uint8_t *)s; }

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    fclose(f);
    return NULL;
  }
  buf[n] = 0;
  fclose(f);
  return buf;
}

static cJSON *load(const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  char *text = read_file(path);
  if (!text) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  cJSON *j = cJSON_Parse(text);
  free(text);
  if (!j) {
    fprintf(stderr, "cannot parse %s\n", path);
    exit(2);
  }
  return j;
}

static const char *str(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Decodes upper-case hex into a malloc'd buffer. */
static uint8_t *unhex(const char *h, size_t *n) {
  size_t len = strlen(h) / 2;
  uint8_t *b = malloc(len ? len : 1);
  for (size_t i = 0; i < len; i++) {
    unsigned v;
    sscanf(h + 2 * i, "%2x", &v);
    b[i] = (uint8_t)v;
  }
  *n = len;
  return b;
}

static int hex_eq(const uint8_t *b, size_t n, const char *h) {
  if (strlen(h) != 2 * n) return 0;
  char tmp[3];
  for (size_t i = 0; i < n; i++) {
    snprintf(tmp, sizeof tmp, "%02X", b[i]);
    if (tmp[0] != h[2 * i] || tmp[1] != h[2 * i + 1]) return 0;
  }
  return 1;
}

static uint32_t status_of_name(const char *name) {
  uint32_t st = 0xFFFFFFFF;
  if (ktpel_status_from_name(U(name), strlen(name), &st) != KTPEL_STATUS_OK) return 0xFFFFFFFF;
  return st;
}

static const char *last_error(void) {
  static char buf[1024];
  size_t n = 0;
  if (ktpel_last_error_message((uint8_t *)buf, sizeof buf - 1, &n) != KTPEL_STATUS_OK) return "?";
  buf[n] = 0;
  return buf;
}

static ktpel_check_options options_of(const cJSON *c) {
  ktpel_check_options o;
  memset(&o, 0, sizeof o);
  const char *mode = str(c, "mode");
  o.mode = (mode && strcmp(mode, "lenient") == 0) ? KTPEL_MODE_LENIENT : KTPEL_MODE_STRICT;
  const char *ref = str(c, "reference_date");
  if (ref) sscanf(ref, "%d-%u-%u", &o.reference_year, &o.reference_month, &o.reference_day);
  const cJSON *by = cJSON_GetObjectItemCaseSensitive(c, "birth_year");
  if (cJSON_IsNumber(by)) o.birth_year = by->valueint;
  return o;
}

static uint32_t expected_code(const cJSON *expect) {
  const cJSON *code = cJSON_GetObjectItemCaseSensitive(expect, "code");
  return cJSON_IsString(code) ? status_of_name(code->valuestring) : KTPEL_STATUS_OK;
}

static uint32_t expected_warnings(const cJSON *expect) {
  uint32_t mask = 0;
  const cJSON *w;
  cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(expect, "warnings")) {
    uint32_t st = status_of_name(w->valuestring);
    mask |= 1u << (st - 150); /* KTPEL_WARNING_X == 1 << (KTPEL_STATUS_X - 150) */
  }
  return mask;
}

static void check_date(const cJSON *expect, const char *key, int y, unsigned m, unsigned d) {
  const char *want = str(expect, key);
  if (!want) return;
  char got[16];
  snprintf(got, sizeof got, "%04d-%02u-%02u", y, m, d);
  CHECK(strcmp(want, got) == 0, "%s: want %s, got %s", key, want, got);
}

static void check_district(const cJSON *expect, uint32_t district) {
  const char *code = str(expect, "district_code");
  if (code) CHECK((uint32_t)atoi(code) == district, "district_code: want %s, got %06u", code, district);
  const char *name = str(expect, "district_name");
  if (name) {
    uint8_t buf[128];
    size_t n = 0;
    uint32_t st = ktpel_region_district_name(district, buf, sizeof buf, &n);
    CHECK(st == KTPEL_STATUS_OK && n == strlen(name) && memcmp(buf, name, n) == 0,
          "district_name: want %s, got %.*s (status %u)", name, (int)n, buf, st);
  }
}

/* ---- NIK / KK vectors ----------------------------------------------------- */

static void test_nik_vectors(const char *dir) {
  cJSON *v = load(dir, "nik.json");
  const cJSON *cases = cJSON_GetObjectItemCaseSensitive(v, "cases");
  const cJSON *c;
  cJSON_ArrayForEach(c, cases) {
    case_begin();
    const char *input = str(c, "input");
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(c, "expect");
    ktpel_check_options o = options_of(c);
    ktpel_nik_result r;
    uint32_t st = ktpel_nik_check(U(input), strlen(input), &o, &r);
    CHECK(st == KTPEL_STATUS_OK, "status %u", st);
    int want_valid = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(expect, "valid"));
    CHECK(r.valid == want_valid, "valid: want %d got %d", want_valid, r.valid);
    CHECK(r.code == expected_code(expect), "code: want %u got %u", expected_code(expect), r.code);
    CHECK(r.warnings == expected_warnings(expect), "warnings: want %#x got %#x",
          expected_warnings(expect), r.warnings);
    const char *sex = str(expect, "sex");
    if (sex) CHECK(r.sex == (sex[0] == 'P' ? KTPEL_SEX_FEMALE : KTPEL_SEX_MALE), "sex %s got %u", sex, r.sex);
    check_date(expect, "birth_date", r.birth_year, r.birth_month, r.birth_day);
    check_district(expect, r.district_code);
    const char *serial = str(expect, "serial");
    if (serial) CHECK(r.serial == atoi(serial), "serial want %s got %u", serial, r.serial);
    const cJSON *ca = cJSON_GetObjectItemCaseSensitive(expect, "century_ambiguous");
    if (cJSON_IsBool(ca)) CHECK(r.century_ambiguous == cJSON_IsTrue(ca), "century_ambiguous");
    /* The batch call gives the same result for the same options. */
    ktpel_str item = {U(input), strlen(input)};
    ktpel_nik_result rb;
    size_t nvalid = 99;
    st = ktpel_nik_check_batch(&item, 1, &o, &rb, &nvalid);
    CHECK(st == KTPEL_STATUS_OK && memcmp(&r, &rb, sizeof r) == 0 && nvalid == (size_t)want_valid,
          "batch differs from single");
    /* The pass/fail form fails with the same code and a message. */
    uint8_t shown[32];
    size_t n = 0;
    st = ktpel_nik_parse(U(input), strlen(input), &o, shown, sizeof shown, &n);
    CHECK(st == r.code, "ktpel_nik_parse status %u, want %u", st, r.code);
    if (st != KTPEL_STATUS_OK) CHECK(strlen(last_error()) > 10, "no detail message");
    else CHECK(n == 20 && shown[2] == '.', "display form %.*s", (int)n, shown);
    case_end(input);
  }
  cJSON_Delete(v);
}

static void test_kk_vectors(const char *dir) {
  cJSON *v = load(dir, "kk.json");
  const cJSON *c;
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(v, "cases")) {
    case_begin();
    const char *input = str(c, "input");
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(c, "expect");
    ktpel_check_options o = options_of(c);
    ktpel_kk_result r;
    uint32_t st = ktpel_kk_check(U(input), strlen(input), &o, &r);
    CHECK(st == KTPEL_STATUS_OK, "status %u", st);
    int want_valid = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(expect, "valid"));
    CHECK(r.valid == want_valid, "valid: want %d got %d", want_valid, r.valid);
    CHECK(r.code == expected_code(expect), "code: want %u got %u", expected_code(expect), r.code);
    CHECK(r.warnings == expected_warnings(expect), "warnings: want %#x got %#x",
          expected_warnings(expect), r.warnings);
    check_date(expect, "issue_date", r.issue_year, r.issue_month, r.issue_day);
    check_district(expect, r.district_code);
    const char *serial = str(expect, "serial");
    if (serial) CHECK(r.serial == atoi(serial), "serial want %s got %u", serial, r.serial);
    const cJSON *ca = cJSON_GetObjectItemCaseSensitive(expect, "century_ambiguous");
    if (cJSON_IsBool(ca)) CHECK(r.century_ambiguous == cJSON_IsTrue(ca), "century_ambiguous");
    ktpel_str item = {U(input), strlen(input)};
    ktpel_kk_result rb;
    size_t nvalid = 99;
    st = ktpel_kk_check_batch(&item, 1, &o, &rb, &nvalid);
    CHECK(st == KTPEL_STATUS_OK && memcmp(&r, &rb, sizeof r) == 0, "batch differs from single");
    st = ktpel_kk_parse(U(input), strlen(input), &o, NULL, 0, &nvalid);
    CHECK(st == r.code || (r.code == 0 && st == KTPEL_STATUS_BUFFER_TOO_SMALL && nvalid == 20),
          "ktpel_kk_parse status %u", st);
    case_end(input);
  }
  cJSON_Delete(v);
}

/* A large batch (parallel path) equals one-by-one checks, including bad items. */
static void test_big_batch(void) {
  case_begin();
  enum { N = 20000 };
  ktpel_str *items = malloc(N * sizeof *items);
  ktpel_nik_result *res = malloc(N * sizeof *res);
  char (*text)[20] = malloc(N * sizeof *text);
  for (int i = 0; i < N; i++) {
    snprintf(text[i], sizeof text[i], "3174015708%02d%04d", i % 100, i % 10000);
    items[i].ptr = U(text[i]);
    items[i].len = strlen(text[i]);
  }
  items[7].ptr = U("\xff\xfe");
  items[7].len = 2;
  items[9].ptr = NULL;
  items[9].len = 16;
  ktpel_check_options o = {KTPEL_MODE_STRICT, 2026, 11, 23, 0};
  size_t nvalid = 0;
  uint32_t st = ktpel_nik_check_batch(items, N, &o, res, &nvalid);
  CHECK(st == KTPEL_STATUS_OK, "batch status %u", st);
  size_t count = 0;
  for (int i = 0; i < N; i++) {
    if (i == 7 || i == 9) continue;
    ktpel_nik_result one;
    ktpel_nik_check(items[i].ptr, items[i].len, &o, &one);
    if (memcmp(&one, &res[i], sizeof one) != 0) {
      CHECK(0, "item %d differs", i);
      break;
    }
    count += one.valid;
  }
  CHECK(res[7].code == KTPEL_STATUS_INVALID_UTF8 && res[7].valid == 0, "non-UTF-8 item: %u", res[7].code);
  CHECK(res[9].code == KTPEL_STATUS_NULL_ARGUMENT && res[9].valid == 0, "NULL item: %u", res[9].code);
  CHECK(count == nvalid && nvalid > N / 2, "valid count %zu vs %zu", count, nvalid);
  free(items);
  free(res);
  free(text);
  case_end("20,000-item batch");
}

/* ---- SAM vectors ---------------------------------------------------------- */

static void test_sha256(const cJSON *v) {
  const cJSON *c;
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(v, "sha256")) {
    case_begin();
    const char *msg = str(c, "message_ascii");
    char *owned = NULL;
    size_t len;
    if (msg) {
      len = strlen(msg);
    } else {
      const cJSON *rep = cJSON_GetObjectItemCaseSensitive(c, "message_ascii_repeat");
      const char *t = str(rep, "text");
      int count = cJSON_GetObjectItemCaseSensitive(rep, "count")->valueint;
      len = strlen(t) * (size_t)count;
      owned = malloc(len + 1);
      for (int i = 0; i < count; i++) memcpy(owned + i * strlen(t), t, strlen(t));
      msg = owned;
    }
    uint8_t d[32];
    size_t n = 0;
    uint32_t st = ktpel_crypto_sha256(U(msg), len, d, sizeof d, &n);
    CHECK(st == KTPEL_STATUS_OK && hex_eq(d, n, str(c, "digest")), "sha256 %s", str(c, "source"));
    free(owned);
    case_end(str(c, "source"));
  }
}

static void test_tdes(const cJSON *v) {
  const cJSON *c;
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(v, "tdes_ecb")) {
    case_begin();
    size_t kl, pl;
    uint8_t *k = unhex(str(c, "key"), &kl), *p = unhex(str(c, "plaintext"), &pl);
    uint8_t *out = malloc(pl), zero[8] = {0};
    int ok = 1;
    for (size_t i = 0; i < pl; i += 8) { /* ECB = CBC with a zero IV, block by block */
      size_t n = 0;
      ok &= ktpel_sam_tdes_encrypt_cbc(k, kl, zero, 8, p + i, 8, out + i, 8, &n) == KTPEL_STATUS_OK && n == 8;
    }
    CHECK(ok && hex_eq(out, pl, str(c, "ciphertext")), "TDES-ECB");
    free(k); free(p); free(out);
    case_end("tdes_ecb");
  }
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(v, "tdes_cbc")) {
    case_begin();
    size_t kl, il, pl, cl, n = 0;
    uint8_t *k = unhex(str(c, "key"), &kl), *iv = unhex(str(c, "iv"), &il);
    uint8_t *p = unhex(str(c, "plaintext"), &pl), *ct = unhex(str(c, "ciphertext"), &cl);
    uint8_t *out = malloc(pl);
    uint32_t st = ktpel_sam_tdes_encrypt_cbc(k, kl, iv, il, p, pl, out, pl, &n);
    CHECK(st == KTPEL_STATUS_OK && hex_eq(out, n, str(c, "ciphertext")), "TDES-CBC encrypt (%u)", st);
    st = ktpel_sam_tdes_decrypt_cbc(k, kl, iv, il, ct, cl, out, pl, &n);
    CHECK(st == KTPEL_STATUS_OK && hex_eq(out, n, str(c, "plaintext")), "TDES-CBC decrypt (%u)", st);
    /* Too small a buffer: the exact size is reported, nothing else. */
    st = ktpel_sam_tdes_encrypt_cbc(k, kl, iv, il, p, pl, out, pl - 1, &n);
    CHECK(st == KTPEL_STATUS_BUFFER_TOO_SMALL && n == pl, "BUFFER_TOO_SMALL (%u, %zu)", st, n);
    /* Data not a whole number of blocks. */
    st = ktpel_sam_tdes_encrypt_cbc(k, kl, iv, il, p, pl - 1, out, pl, &n);
    CHECK(st == KTPEL_STATUS_SAM_INVALID_LENGTH, "partial block: %u", st);
    free(k); free(iv); free(p); free(ct); free(out);
    case_end("tdes_cbc");
  }
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(v, "retail_mac")) {
    case_begin();
    size_t kl, dl, n = 0;
    uint8_t *k = unhex(str(c, "key"), &kl), *d = unhex(str(c, "data"), &dl), mac[8];
    uint32_t pad = (uint32_t)cJSON_GetObjectItemCaseSensitive(c, "padding")->valueint;
    uint32_t st = ktpel_sam_retail_mac(k, kl, pad, dl ? d : NULL, dl, mac, sizeof mac, &n);
    CHECK(st == KTPEL_STATUS_OK && hex_eq(mac, n, str(c, "mac")), "retail MAC (%u)", st);
    free(k); free(d);
    case_end("retail_mac");
  }
}

static uint8_t *with_9000(const char *hex, size_t *n) {
  size_t m;
  uint8_t *d = unhex(hex, &m);
  d = realloc(d, m + 2);
  d[m] = 0x90;
  d[m + 1] = 0x00;
  *n = m + 2;
  return d;
}

/* Drives the mutual-authentication state machine with published card
 * answers; returns the session (or NULL). */
static ktpel_sam_sm *authenticate(ktpel_sam_keys *keys, const cJSON *k, const char *expect_get_challenge) {
  size_t rl, kl, n = 0, cl, al;
  uint8_t *rnd = unhex(str(k, "rnd_ifd"), &rl), *kifd = unhex(str(k, "k_ifd"), &kl);
  ktpel_sam_auth *auth = NULL;
  ktpel_sam_sm *sm = NULL;
  uint8_t cmd[64];
  uint32_t st = ktpel_sam_auth_new(keys, rnd, rl, kifd, kl, &auth);
  CHECK(st == KTPEL_STATUS_OK, "auth_new %u", st);
  st = ktpel_sam_auth_get_challenge(auth, cmd, sizeof cmd, &n);
  CHECK(st == KTPEL_STATUS_OK && n == KTPEL_SAM_GET_CHALLENGE_LEN, "get_challenge %u", st);
  if (expect_get_challenge) CHECK(hex_eq(cmd, n, expect_get_challenge), "GET CHALLENGE apdu");
  uint8_t *ch = with_9000(str(k, "rnd_ic"), &cl);
  /* Too small a buffer changes nothing: the retry still works. */
  st = ktpel_sam_auth_on_challenge(auth, ch, cl, cmd, 10, &n);
  CHECK(st == KTPEL_STATUS_BUFFER_TOO_SMALL && n == KTPEL_SAM_MUTUAL_AUTH_LEN, "small buffer %u %zu", st, n);
  st = ktpel_sam_auth_on_challenge(auth, ch, cl, cmd, sizeof cmd, &n);
  CHECK(st == KTPEL_STATUS_OK && hex_eq(cmd, n, str(k, "mutual_authenticate_apdu")), "MUTUAL AUTHENTICATE apdu (%u)", st);
  uint8_t *ans = with_9000(str(k, "resp_data"), &al);
  st = ktpel_sam_auth_on_authenticate(auth, ans, al, &sm);
  CHECK(st == KTPEL_STATUS_OK && sm, "on_authenticate %u: %s", st, last_error());
  /* The run is over: another step is out of order. */
  st = ktpel_sam_auth_on_authenticate(auth, ans, al, &sm);
  CHECK(st == KTPEL_STATUS_SAM_WRONG_STATE || st == KTPEL_STATUS_SAM_SESSION_CLOSED, "step after done: %u", st);
  ktpel_sam_auth_free(auth);
  free(rnd); free(kifd); free(ch); free(ans);
  return sm;
}

static void check_ssc(ktpel_sam_sm *sm, const char *want) {
  uint64_t ssc = 0;
  char got[20];
  ktpel_sam_sm_ssc(sm, &ssc);
  snprintf(got, sizeof got, "%016llX", (unsigned long long)ssc);
  CHECK(strcmp(got, want) == 0, "SSC want %s got %s", want, got);
}

/* protect(unprotected) == protected; unprotect(rapdu) == plain ‖ 9000 */
static void sm_roundtrip(ktpel_sam_sm *sm, const cJSON *step, const char *plain_key) {
  size_t ul, rl, n = 0;
  uint8_t *u = unhex(str(step, "unprotected_apdu"), &ul), *r = unhex(str(step, "rapdu"), &rl);
  uint8_t out[512];
  uint32_t st = ktpel_sam_sm_protect(sm, u, ul, out, sizeof out, &n);
  CHECK(st == KTPEL_STATUS_OK && hex_eq(out, n, str(step, "protected_apdu")), "protect (%u)", st);
  if (str(step, "ssc_command")) check_ssc(sm, str(step, "ssc_command"));
  st = ktpel_sam_sm_unprotect(sm, r, rl, out, sizeof out, &n);
  char want[512];
  snprintf(want, sizeof want, "%s9000", str(step, plain_key));
  CHECK(st == KTPEL_STATUS_OK && hex_eq(out, n, want), "unprotect (%u) %s", st, last_error());
  if (str(step, "ssc_response")) check_ssc(sm, str(step, "ssc_response"));
  free(u); free(r);
}

static uint32_t profile_of(const cJSON *k) {
  return strcmp(str(k, "profile"), "ktpel") == 0 ? KTPEL_SAM_PROFILE_KTPEL : KTPEL_SAM_PROFILE_ICAO9303;
}

static void test_sessions(const cJSON *v) {
  const char *names[] = {"ktpel_session", "icao_profile_recomputed"};
  for (int i = 0; i < 2; i++) {
    case_begin();
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(v, names[i]);
    uint32_t p = profile_of(k);
    size_t sl, n = 0;
    uint8_t *seed = unhex(str(k, "k_seed"), &sl), key[24];
    CHECK(ktpel_sam_kdf(p, seed, sl, 1, key, sizeof key, &n) == KTPEL_STATUS_OK && hex_eq(key, n, str(k, "k_enc")), "k_enc");
    CHECK(ktpel_sam_kdf(p, seed, sl, 2, key, sizeof key, &n) == KTPEL_STATUS_OK && hex_eq(key, n, str(k, "k_mac")), "k_mac");
    ktpel_sam_keys *keys = NULL;
    CHECK(ktpel_sam_keys_from_seed(p, seed, sl, &keys) == KTPEL_STATUS_OK, "keys");
    ktpel_sam_sm *sm = authenticate(keys, k, NULL);
    if (sm) {
      check_ssc(sm, str(k, "ssc"));
      /* The published session keys give the same session. */
      size_t el, ml;
      uint8_t *ke = unhex(str(k, "ks_enc"), &el), *km = unhex(str(k, "ks_mac"), &ml);
      uint64_t ssc = 0;
      ktpel_sam_sm_ssc(sm, &ssc);
      ktpel_sam_sm *sm2 = NULL;
      CHECK(ktpel_sam_sm_new(p, ke, el, km, ml, ssc, &sm2) == KTPEL_STATUS_OK, "sm_new");
      const cJSON *rb = cJSON_GetObjectItemCaseSensitive(k, "read_binary");
      sm_roundtrip(sm, rb, "plain_data");
      sm_roundtrip(sm2, rb, "plain_data");
      ktpel_sam_sm_free(sm2);
      free(ke); free(km);
    }
    ktpel_sam_sm_free(sm);
    ktpel_sam_keys_free(keys);
    free(seed);
    case_end(names[i]);
  }
}

static void test_icao_appendix_d(const cJSON *v) {
  const cJSON *icao = cJSON_GetObjectItemCaseSensitive(v, "icao9303_appendix_d");
  const cJSON *d2 = cJSON_GetObjectItemCaseSensitive(icao, "D2_key_derivation");
  const cJSON *d3 = cJSON_GetObjectItemCaseSensitive(icao, "D3_authentication_and_session_keys");
  const cJSON *d4 = cJSON_GetObjectItemCaseSensitive(icao, "D4_secure_messaging");
  const char *mrz = str(d2, "mrz_information");

  case_begin();
  uint8_t seed[16], key[16];
  size_t n = 0;
  CHECK(ktpel_sam_icao_key_seed(U(mrz), strlen(mrz), seed, sizeof seed, &n) == KTPEL_STATUS_OK &&
            hex_eq(seed, n, str(d2, "k_seed")), "D.2 key seed");
  CHECK(ktpel_sam_kdf(KTPEL_SAM_PROFILE_ICAO9303, seed, 16, 1, key, sizeof key, &n) == KTPEL_STATUS_OK &&
            hex_eq(key, n, str(d2, "k_enc")), "D.2 K_enc");
  CHECK(ktpel_sam_kdf(KTPEL_SAM_PROFILE_ICAO9303, seed, 16, 2, key, sizeof key, &n) == KTPEL_STATUS_OK &&
            hex_eq(key, n, str(d2, "k_mac")), "D.2 K_mac");
  case_end("ICAO 9303 D.2");

  case_begin();
  ktpel_sam_keys *keys = NULL;
  CHECK(ktpel_sam_keys_from_mrz(U(mrz), strlen(mrz), &keys) == KTPEL_STATUS_OK, "keys from MRZ");
  ktpel_sam_sm *sm = authenticate(keys, d3, str(d3, "get_challenge_apdu"));
  if (sm) check_ssc(sm, str(d3, "ssc"));
  case_end("ICAO 9303 D.3");

  const cJSON *step;
  cJSON_ArrayForEach(step, cJSON_GetObjectItemCaseSensitive(d4, "steps")) {
    case_begin();
    if (sm) sm_roundtrip(sm, step, "decrypted_data");
    else CHECK(0, "no session");
    case_end(str(step, "name"));
  }

  /* A tampered response closes the session for good. */
  case_begin();
  if (sm) {
    const cJSON *s0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(d4, "steps"), 0);
    size_t rl;
    uint8_t *r = unhex(str(s0, "rapdu"), &rl), out[64];
    r[rl - 4] ^= 1;
    uint32_t st = ktpel_sam_sm_unprotect(sm, r, rl, out, sizeof out, &n);
    CHECK(st == KTPEL_STATUS_SAM_SM_MAC_MISMATCH, "tampered MAC: %u", st);
    st = ktpel_sam_sm_unprotect(sm, r, rl, out, sizeof out, &n);
    CHECK(st == KTPEL_STATUS_SAM_SESSION_CLOSED, "after failure: %u", st);
    free(r);
  }
  ktpel_sam_sm_free(sm);
  ktpel_sam_keys_free(keys);
  case_end("tampered secure messaging response");
}

/* ---- virtual chip, reader session, anti-cloning -------------------------- */

static uint32_t chip_transmit(void *user, const uint8_t *cmd, size_t cmd_len, uint8_t *resp,
                              size_t resp_len, size_t *written) {
  return ktpel_sam_chip_process((ktpel_sam_chip *)user, cmd, cmd_len, resp, resp_len, written);
}

static void test_chip(void) {
  uint8_t seed[16];
  memset(seed, 0x42, sizeof seed);
  uint8_t challenge[KTPEL_SAM_CHALLENGE_LEN];
  ktpel_sam_random(challenge, sizeof challenge);
  const char *kid = "KTPEL-DEMO-DS-01";
  uint32_t profiles[] = {KTPEL_SAM_PROFILE_KTPEL, KTPEL_SAM_PROFILE_ICAO9303};
  for (int pi = 0; pi < 2; pi++) {
    case_begin();
    uint32_t p = profiles[pi];
    ktpel_sam_chip *chip = NULL, *clone = NULL;
    ktpel_sam_keys *keys = NULL;
    ktpel_sam_document *doc = NULL;
    uint8_t pub[65], file[512];
    size_t publen = 0, n = 0;
    CHECK(ktpel_sam_chip_new_demo(p, seed, sizeof seed, 7, &chip) == KTPEL_STATUS_OK, "chip");
    CHECK(ktpel_sam_keys_from_seed(p, seed, sizeof seed, &keys) == KTPEL_STATUS_OK, "keys");
    CHECK(ktpel_sam_chip_issuer_public_key(chip, pub, sizeof pub, &publen) == KTPEL_STATUS_OK && publen == 65, "issuer key");
    /* Genuine chip through a caller transport. */
    uint32_t st = ktpel_sam_read_document(chip_transmit, chip, keys, U(kid), strlen(kid), pub, publen,
                                          challenge, sizeof challenge, &doc);
    CHECK(st == KTPEL_STATUS_OK, "read_document %u: %s", st, last_error());
    st = ktpel_sam_document_file(doc, 0x0101, file, sizeof file, &n);
    CHECK(st == KTPEL_STATUS_OK && n > 10 && memcmp(file, "NIK=", 4) == 0, "biodata %u", st);
    st = ktpel_sam_document_file(doc, 0x0102, file, sizeof file, &n);
    CHECK(st == KTPEL_STATUS_BUFFER_TOO_SMALL && n == 8192, "photo size %u %zu", st, n);
    ktpel_sam_document_free(doc);
    doc = NULL;
    /* A clone (same data, other chip key) fails chip authentication. */
    CHECK(ktpel_sam_chip_new_clone(chip, 99, &clone) == KTPEL_STATUS_OK, "clone");
    st = ktpel_sam_read_document_chip(clone, keys, U(kid), strlen(kid), pub, publen, challenge, sizeof challenge, &doc);
    CHECK(st == KTPEL_STATUS_SAM_CHIP_AUTH_FAILED && doc == NULL, "clone: %u", st);
    /* Faults are caught with their code. */
    struct { uint32_t fault, want; } faults[] = {
        {KTPEL_SAM_FAULT_BAD_AUTH_MAC, KTPEL_STATUS_SAM_AUTH_MAC_MISMATCH},
        {KTPEL_SAM_FAULT_WRONG_NONCE, KTPEL_STATUS_SAM_AUTH_NONCE_MISMATCH},
        {KTPEL_SAM_FAULT_SHORT_AUTH_RESPONSE, KTPEL_STATUS_SAM_AUTH_RESPONSE_LENGTH},
        {KTPEL_SAM_FAULT_BAD_MAC, KTPEL_STATUS_SAM_SM_MAC_MISMATCH},
        {KTPEL_SAM_FAULT_REPLAY_SSC, KTPEL_STATUS_SAM_SM_MAC_MISMATCH},
        {KTPEL_SAM_FAULT_WRONG_SIGNATURE, KTPEL_STATUS_SAM_CHIP_AUTH_FAILED},
    };
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
      ktpel_sam_chip *bad = NULL;
      ktpel_sam_chip_new_demo(p, seed, sizeof seed, 100 + i, &bad);
      CHECK(ktpel_sam_chip_inject_fault(bad, faults[i].fault) == KTPEL_STATUS_OK, "inject");
      st = ktpel_sam_read_document_chip(bad, keys, U(kid), strlen(kid), pub, publen, challenge, sizeof challenge, &doc);
      CHECK(st == faults[i].want, "fault %u: got %u want %u", faults[i].fault, st, faults[i].want);
      ktpel_sam_chip_free(bad);
    }
    /* An untrusted issuer is refused. */
    pub[10] ^= 1;
    st = ktpel_sam_read_document_chip(chip, keys, U(kid), strlen(kid), pub, publen, challenge, sizeof challenge, &doc);
    CHECK(st != KTPEL_STATUS_OK && doc == NULL, "wrong issuer key accepted");
    /* The chip answers only after authentication. */
    uint64_t ssc;
    ktpel_sam_chip *fresh = NULL;
    ktpel_sam_chip_new_demo(p, seed, sizeof seed, 1, &fresh);
    CHECK(ktpel_sam_chip_session_ssc(fresh, &ssc) == KTPEL_STATUS_SAM_WRONG_STATE, "ssc before auth");
    uint8_t small[8];
    CHECK(ktpel_sam_chip_process(fresh, U("\x00\x84\x00\x00\x08"), 5, small, sizeof small, &n) ==
              KTPEL_STATUS_BUFFER_TOO_SMALL && n == KTPEL_SAM_RESPONSE_MAX, "chip buffer rule");
    ktpel_sam_chip_free(fresh);
    ktpel_sam_chip_free(clone);
    ktpel_sam_chip_free(chip);
    ktpel_sam_keys_free(keys);
    case_end(p == KTPEL_SAM_PROFILE_KTPEL ? "virtual chip, KTP-el profile" : "virtual chip, ICAO profile");
  }
}

static void test_apdu(void) {
  case_begin();
  const uint8_t raw[] = {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1E};
  ktpel_sam_command_apdu a;
  CHECK(ktpel_sam_apdu_parse(raw, sizeof raw, &a) == KTPEL_STATUS_OK, "parse");
  CHECK(a.ins == 0xA4 && a.p1 == 2 && a.p2 == 0x0C && a.data.len == 2 && a.data.ptr == raw + 5 && !a.has_le, "fields");
  uint8_t out[16];
  size_t n = 0;
  CHECK(ktpel_sam_apdu_encode(&a, out, sizeof out, &n) == KTPEL_STATUS_OK && n == sizeof raw && memcmp(out, raw, n) == 0, "round trip");
  a.has_le = 1;
  a.le = 256;
  CHECK(ktpel_sam_apdu_encode(&a, out, sizeof out, &n) == KTPEL_STATUS_OK && n == 8 && out[7] == 0, "Le 256 -> 00");
  CHECK(ktpel_sam_apdu_parse(raw, 6, &a) == KTPEL_STATUS_SAM_APDU_MALFORMED, "malformed");
  size_t dl = 0;
  uint16_t sw = 0;
  CHECK(ktpel_sam_response_parse(U("\x01\x02\x6A\x82"), 4, &dl, &sw) == KTPEL_STATUS_OK && dl == 2 && sw == 0x6A82, "response");
  char m[128];
  CHECK(ktpel_sam_status_word_meaning(0x6982, (uint8_t *)m, sizeof m, &n) == KTPEL_STATUS_OK && n > 5, "sw meaning");
  case_end("APDU encode/parse");
}

static void test_ecdsa(void) {
  case_begin();
  uint8_t priv[32], pub[65], sig[80];
  memset(priv, 7, sizeof priv);
  size_t pl = 0, sl = 0;
  const char *msg = "hello";
  CHECK(ktpel_crypto_p256_public_key(priv, 32, pub, sizeof pub, &pl) == KTPEL_STATUS_OK && pl == 65, "public key");
  uint32_t formats[] = {KTPEL_SIG_RAW, KTPEL_SIG_DER};
  uint32_t backends[] = {KTPEL_P256_BACKEND_DEFAULT, KTPEL_P256_BACKEND_RUSTCRYPTO, KTPEL_P256_BACKEND_RING};
  for (int f = 0; f < 2; f++) {
    CHECK(ktpel_crypto_p256_sign(priv, 32, U(msg), 5, formats[f], sig, sizeof sig, &sl) == KTPEL_STATUS_OK, "sign");
    for (int b = 0; b < 3; b++) {
      CHECK(ktpel_crypto_p256_verify(backends[b], pub, pl, U(msg), 5, sig, sl, formats[f]) == KTPEL_STATUS_OK, "verify b%d f%d", b, f);
      CHECK(ktpel_crypto_p256_verify(backends[b], pub, pl, U("hellO"), 5, sig, sl, formats[f]) == KTPEL_STATUS_ECDSA_BAD_SIGNATURE, "forged");
    }
  }
  CHECK(ktpel_crypto_p256_verify(0, pub, 10, U(msg), 5, sig, sl, KTPEL_SIG_DER) == KTPEL_STATUS_ECDSA_INVALID_PUBLIC_KEY, "bad key");
  CHECK(ktpel_crypto_p256_verify(0, pub, pl, U(msg), 5, sig, 3, KTPEL_SIG_RAW) == KTPEL_STATUS_ECDSA_INVALID_SIGNATURE_ENCODING, "bad sig");
  memset(priv, 0, sizeof priv);
  CHECK(ktpel_crypto_p256_public_key(priv, 32, pub, sizeof pub, &pl) == KTPEL_STATUS_ECDSA_INVALID_PRIVATE_KEY, "zero scalar");
  case_end("ECDSA P-256 sign/verify, every backend");
}

/* ---- QR vectors ------------------------------------------------------------ */

static ktpel_qr_keyset *keyset_of(const cJSON *jwks) {
  char *text = cJSON_PrintUnformatted(jwks);
  ktpel_qr_keyset *set = NULL;
  uint32_t st = ktpel_qr_keyset_from_jwks(U(text), strlen(text), &set);
  CHECK(st == KTPEL_STATUS_OK, "keyset %u: %s", st, last_error());
  free(text);
  return set;
}

static ktpel_qr_verifier *verifier_of(ktpel_qr_keyset *set, const char *audience, int require_encryption) {
  ktpel_qr_verifier_options o;
  memset(&o, 0, sizeof o); /* max TTL 90, leeway 5: the vectors' verifier */
  if (audience) {
    o.audience.ptr = U(audience);
    o.audience.len = strlen(audience);
  }
  o.allow_unencrypted = require_encryption ? 0 : 1;
  ktpel_qr_verifier *v = NULL;
  uint32_t st = ktpel_qr_verifier_new(set, &o, &v);
  CHECK(st == KTPEL_STATUS_OK, "verifier %u", st);
  return v;
}

static void test_qr_vectors(const char *dir) {
  cJSON *v = load(dir, "qr.json");
  const cJSON *c;
  ktpel_qr_keyset *vkeys = keyset_of(cJSON_GetObjectItemCaseSensitive(v, "verifier_keys"));
  ktpel_qr_keyset *keys = keyset_of(cJSON_GetObjectItemCaseSensitive(v, "keys"));
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(v, "valid")) {
    case_begin();
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(c, "verify");
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(c, "expected");
    const char *token = str(c, "token");
    ktpel_qr_verifier *vf = verifier_of(vkeys, str(ver, "audience"),
                                        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ver, "require_encryption")));
    int64_t now = (int64_t)cJSON_GetObjectItemCaseSensitive(ver, "now")->valuedouble;
    ktpel_qr_claims *claims = NULL;
    uint32_t st = ktpel_qr_verifier_verify(vf, U(token), strlen(token), now, &claims);
    CHECK(st == KTPEL_STATUS_OK, "verify %u: %s", st, last_error());
    if (claims) {
      char json[4096], nik[32];
      size_t n = 0, nn = 0;
      ktpel_qr_claims_json(claims, (uint8_t *)json, sizeof json - 1, &n);
      json[n] = 0;
      cJSON *got = cJSON_Parse(json);
      const char *fields[] = {"iss", "cti", "kid"};
      for (int i = 0; i < 3; i++)
        CHECK(got && strcmp(str(got, fields[i]), str(exp, fields[i])) == 0, "claim %s", fields[i]);
      CHECK(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(got, "identity"),
                          cJSON_GetObjectItemCaseSensitive(exp, "identity"), 1), "identity: %s", json);
      const char *want_nik = str(cJSON_GetObjectItemCaseSensitive(exp, "identity"), "nik");
      st = ktpel_qr_claims_nik(claims, (uint8_t *)nik, sizeof nik, &nn);
      CHECK(want_nik ? (st == KTPEL_STATUS_OK && nn == strlen(want_nik) && memcmp(nik, want_nik, nn) == 0)
                     : st == KTPEL_STATUS_MISSING_CLAIM, "nik");
      cJSON_Delete(got);
      ktpel_qr_claims_free(claims);
      claims = NULL;
    }
    /* Single scan: the second one is a replay. */
    st = ktpel_qr_verifier_verify(vf, U(token), strlen(token), now, &claims);
    CHECK(st == KTPEL_STATUS_REPLAYED && claims == NULL, "replay: %u", st);
    ktpel_qr_verifier_free(vf);
    /* Re-issuing with the vector's time, cti and IV gives a token that verifies
     * to the same claims. */
    const cJSON *iss = cJSON_GetObjectItemCaseSensitive(c, "issue");
    const char *enc = str(iss, "enc_kid");
    ktpel_qr_issuer *issuer = NULL;
    st = ktpel_qr_issuer_new(keys, U(str(iss, "sign_kid")), strlen(str(iss, "sign_kid")), enc ? U(enc) : NULL,
                             enc ? strlen(enc) : 0, &issuer);
    CHECK(st == KTPEL_STATUS_OK, "issuer %u", st);
    char *cj = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(iss, "claims"));
    size_t cl, il, tl = 0;
    uint8_t *cti = unhex(str(iss, "cti"), &cl);
    /* Signed-only tokens have no IV; the issuer ignores it then. */
    uint8_t *iv = unhex(str(iss, "iv") ? str(iss, "iv") : "000000000000000000000000", &il);
    char tok[KTPEL_QR_MAX_TOKEN_LEN];
    st = ktpel_qr_issuer_issue_with(issuer, U(cj), strlen(cj), (uint64_t)cJSON_GetObjectItemCaseSensitive(iss, "ttl")->valueint,
                                    (int64_t)cJSON_GetObjectItemCaseSensitive(iss, "iat")->valuedouble, cti, cl, iv, il,
                                    (uint8_t *)tok, sizeof tok, &tl);
    CHECK(st == KTPEL_STATUS_OK, "issue %u: %s", st, last_error());
    vf = verifier_of(vkeys, str(ver, "audience"), cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ver, "require_encryption")));
    st = ktpel_qr_verifier_verify(vf, (uint8_t *)tok, tl, now, &claims);
    CHECK(st == KTPEL_STATUS_OK, "re-issued token: %u", st);
    ktpel_qr_claims_free(claims);
    ktpel_qr_verifier_free(vf);
    ktpel_qr_issuer_free(issuer);
    free(cj); free(cti); free(iv);
    case_end(str(c, "name"));
  }
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(v, "invalid")) {
    case_begin();
    const char *token = str(c, "token");
    ktpel_qr_verifier *vf = verifier_of(vkeys, str(c, "audience"),
                                        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "require_encryption")));
    ktpel_qr_claims *claims = NULL;
    int64_t now = (int64_t)cJSON_GetObjectItemCaseSensitive(c, "now")->valuedouble;
    uint32_t st = ktpel_qr_verifier_verify(vf, U(token), strlen(token), now, &claims);
    uint32_t want = status_of_name(str(c, "code"));
    CHECK(st == want && claims == NULL, "got %u want %u (%s)", st, want, str(c, "code"));
    ktpel_qr_verifier_free(vf);
    case_end(str(c, "name"));
  }
  ktpel_qr_keyset_free(keys);
  ktpel_qr_keyset_free(vkeys);
  cJSON_Delete(v);
}

/* ---- region, validate, conventions ----------------------------------------- */

static void test_region(void) {
  case_begin();
  ktpel_region r;
  char buf[128];
  size_t n = 0;
  CHECK(ktpel_region_lookup(U("31.74.01"), 8, &r) == KTPEL_STATUS_OK, "lookup");
  CHECK(r.code == 317401 && r.level == KTPEL_LEVEL_DISTRICT && r.status == KTPEL_REGION_CURRENT && r.is_kelurahan == -1, "fields");
  CHECK(ktpel_region_name(U("317401"), 6, (uint8_t *)buf, sizeof buf, &n) == KTPEL_STATUS_OK && n == 5 && memcmp(buf, "Tebet", 5) == 0, "name");
  CHECK(ktpel_region_lookup(U("31.70"), 5, &r) == KTPEL_STATUS_INVALID_REGION_CODE, "malformed");
  CHECK(ktpel_region_lookup(U("31.74.99"), 8, &r) == KTPEL_STATUS_UNKNOWN_REGION, "unknown");
  uint32_t st = 9;
  uint64_t succ = 1;
  CHECK(ktpel_region_status(U("31.74.99"), 8, &st, &succ) == KTPEL_STATUS_OK && st == KTPEL_REGION_UNKNOWN, "status unknown");
  uint64_t provinces[64];
  size_t count = 0;
  CHECK(ktpel_region_children(NULL, 0, provinces, 64, &count) == KTPEL_STATUS_OK && count >= 34 && provinces[0] == 11, "provinces %zu", count);
  CHECK(ktpel_region_children(NULL, 0, provinces, 3, &count) == KTPEL_STATUS_BUFFER_TOO_SMALL && count >= 34, "children size");
  CHECK(ktpel_region_to_bps(U("3174"), 4, (uint8_t *)buf, sizeof buf, &n) == KTPEL_STATUS_OK && n == 4, "to_bps");
  char back[32];
  size_t m = 0;
  CHECK(ktpel_region_from_bps((uint8_t *)buf, n, (uint8_t *)back, sizeof back, &m) == KTPEL_STATUS_OK && m == 5 && memcmp(back, "31.74", 5) == 0,
        "from_bps %.*s", (int)m, back);
  uint16_t years[16];
  CHECK(ktpel_region_snapshot_years(years, 16, &count) == KTPEL_STATUS_OK && count >= 2 && years[0] < years[count - 1], "years");
  case_end("region lookup, status, children, BPS");
}

struct progress { int calls; uint64_t rows; };
static void on_progress(void *user, uint64_t rows, uint64_t bytes) {
  struct progress *p = user;
  (void)bytes;
  p->calls++;
  p->rows = rows;
}

static void test_validate(const char *tmp) {
  case_begin();
  char in[4096], out[4096];
  snprintf(in, sizeof in, "%s/ktpel_c_in.csv", tmp);
  snprintf(out, sizeof out, "%s/ktpel_c_out.csv", tmp);
  FILE *f = fopen(in, "w");
  fprintf(f, "ID,NIK\n1,3174015708900123\n2,3.17401E+15\n3,317401570890012\n4,3174015708900123\n");
  fclose(f);
  ktpel_validate_options o;
  memset(&o, 0, sizeof o);
  o.column.ptr = U("nik");
  o.column.len = 3;
  o.check.reference_year = 2026;
  o.check.reference_month = 11;
  o.check.reference_day = 23;
  o.block_rows = 2;
  struct progress p = {0, 0};
  ktpel_validate_report *rep = NULL;
  uint32_t st = ktpel_validate_csv(U(in), strlen(in), U(out), strlen(out), &o, on_progress, &p, &rep);
  CHECK(st == KTPEL_STATUS_OK, "validate %u: %s", st, last_error());
  ktpel_validate_counts c;
  CHECK(ktpel_validate_report_counts(rep, &c) == KTPEL_STATUS_OK && c.rows == 4 && c.valid == 2 && c.invalid == 2, "counts");
  uint64_t rows = 0;
  CHECK(ktpel_validate_report_rows_with(rep, KTPEL_STATUS_SPREADSHEET_CORRUPTED, &rows) == KTPEL_STATUS_OK && rows == 1, "per code");
  char json[1024];
  size_t n = 0;
  CHECK(ktpel_validate_report_json(rep, (uint8_t *)json, sizeof json - 1, &n) == KTPEL_STATUS_OK, "json");
  json[n] = 0;
  CHECK(strstr(json, "\"rows\":4") && strstr(json, "WRONG_LENGTH"), "json content: %s", json);
  CHECK(p.calls >= 2 && p.rows == 4, "progress calls %d rows %llu", p.calls, (unsigned long long)p.rows);
  ktpel_validate_report_free(rep);
  char *written = read_file(out);
  CHECK(written && strncmp(written, "ID,NIK,valid,code", 17) == 0, "output CSV");
  free(written);
  o.column.ptr = U("NAMA");
  o.column.len = 4;
  rep = NULL;
  st = ktpel_validate_csv(U(in), strlen(in), U(out), strlen(out), &o, NULL, NULL, &rep);
  CHECK(st == KTPEL_STATUS_COLUMN_NOT_FOUND && rep == NULL && strstr(last_error(), "NAMA"), "missing column: %u", st);
  st = ktpel_validate_csv(U("/nonexistent/x.csv"), 18, U(out), strlen(out), &o, NULL, NULL, &rep);
  CHECK(st == KTPEL_STATUS_IO, "missing file: %u", st);
  remove(in);
  remove(out);
  case_end("validate_csv file to file");
}

static void test_conventions(void) {
  case_begin();
  ktpel_check_options o = {0};
  ktpel_nik_result r;
  CHECK(ktpel_nik_check(U("1"), 1, NULL, &r) == KTPEL_STATUS_NULL_ARGUMENT, "NULL opts");
  CHECK(strstr(last_error(), "opts") != NULL, "message names the argument: %s", last_error());
  CHECK(ktpel_nik_check(U("1"), 1, &o, NULL) == KTPEL_STATUS_NULL_ARGUMENT, "NULL out");
  CHECK(ktpel_nik_check(NULL, 0, &o, &r) == KTPEL_STATUS_OK && r.code == KTPEL_STATUS_EMPTY, "empty input");
  CHECK(ktpel_nik_check(U("\xc3\x28"), 2, &o, &r) == KTPEL_STATUS_OK && r.code == KTPEL_STATUS_INVALID_UTF8, "bad UTF-8");
  o.mode = 7;
  CHECK(ktpel_nik_check(U("1"), 1, &o, &r) == KTPEL_STATUS_INVALID_ARGUMENT, "bad mode");
  o.mode = 0;
  o.reference_year = 2026;
  o.reference_month = 2;
  o.reference_day = 30;
  CHECK(ktpel_nik_check(U("1"), 1, &o, &r) == KTPEL_STATUS_INVALID_ARGUMENT, "bad date");
  /* Last error survives a too-small read of itself. */
  const char *before = last_error();
  char copy[256];
  snprintf(copy, sizeof copy, "%s", before);
  size_t n = 0;
  char tiny[4];
  CHECK(ktpel_last_error_message((uint8_t *)tiny, sizeof tiny, &n) == KTPEL_STATUS_BUFFER_TOO_SMALL && n == strlen(copy), "size");
  CHECK(strcmp(last_error(), copy) == 0, "last error kept");
  /* Messages and names for every status. */
  char buf[256];
  CHECK(ktpel_error_message(KTPEL_STATUS_WRONG_LENGTH, (uint8_t *)buf, sizeof buf, &n) == KTPEL_STATUS_OK && n > 10, "message");
  CHECK(ktpel_status_name(KTPEL_STATUS_INVALID_BIRTH_DATE, (uint8_t *)buf, sizeof buf, &n) == KTPEL_STATUS_OK &&
            n == 18 && memcmp(buf, "INVALID_BIRTH_DATE", 18) == 0, "name");
  CHECK(ktpel_error_message(99999, (uint8_t *)buf, sizeof buf, &n) == KTPEL_STATUS_INVALID_ARGUMENT, "unknown status");
  CHECK(ktpel_error_message(KTPEL_STATUS_OK, NULL, 0, &n) == KTPEL_STATUS_BUFFER_TOO_SMALL && n == 7, "size query");
  uint32_t st;
  CHECK(ktpel_status_from_name(U("NOPE"), 4, &st) == KTPEL_STATUS_INVALID_ARGUMENT, "unknown name");
  /* Versions. */
  uint32_t v = ktpel_version();
  CHECK(v == ((KTPEL_VERSION_MAJOR << 16) | (KTPEL_VERSION_MINOR << 8) | KTPEL_VERSION_PATCH), "version");
  CHECK(ktpel_abi_version() == KTPEL_ABI_VERSION, "abi");
  char vs[32], want[32];
  snprintf(want, sizeof want, "%d.%d.%d", KTPEL_VERSION_MAJOR, KTPEL_VERSION_MINOR, KTPEL_VERSION_PATCH);
  CHECK(ktpel_version_string((uint8_t *)vs, sizeof vs, &n) == KTPEL_STATUS_OK && n == strlen(want) && memcmp(vs, want, n) == 0, "version string");
  /* Handles: free(NULL) is a no-op; NULL handles are refused. */
  ktpel_sam_sm_free(NULL);
  ktpel_sam_auth_free(NULL);
  ktpel_sam_chip_free(NULL);
  ktpel_sam_keys_free(NULL);
  ktpel_sam_document_free(NULL);
  ktpel_validate_report_free(NULL);
  uint64_t ssc;
  CHECK(ktpel_sam_sm_ssc(NULL, &ssc) == KTPEL_STATUS_NULL_ARGUMENT, "NULL handle");
  ktpel_sam_keys *keys = NULL;
  CHECK(ktpel_sam_keys_from_seed(9, U("x"), 1, &keys) == KTPEL_STATUS_INVALID_ARGUMENT && keys == NULL, "bad profile");
  CHECK(ktpel_sam_keys_from_keys(KTPEL_SAM_PROFILE_KTPEL, U("short"), 5, U("short"), 5, &keys) == KTPEL_STATUS_SAM_INVALID_KEY, "short key");
  case_end("API conventions: NULL, buffers, messages, versions");
}

/* ---- name --------------------------------------------------------------- */

typedef uint32_t (*name_out_fn)(const uint8_t *, size_t, uint8_t *, size_t, size_t *);

/* Calls a name -> string function; returns a static NUL-terminated copy. */
static const char *name_out(name_out_fn f, const char *in, uint32_t *st) {
  static char buf[4096];
  size_t n = 0;
  *st = f(U(in), strlen(in), (uint8_t *)buf, sizeof buf - 1, &n);
  buf[*st == KTPEL_STATUS_OK ? n : 0] = 0;
  return buf;
}

static int str_eq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

static void test_name_vectors(const char *dir) {
  cJSON *doc = load(dir, "names.json");
  const cJSON *cases = cJSON_GetObjectItemCaseSensitive(doc, "cases");
  const cJSON *c;
  int count = 0;
  cJSON_ArrayForEach(c, cases) {
    case_begin();
    count++;
    const char *in = str(c, "input");
    uint32_t st;
    const char *got = name_out(ktpel_name_normalize, in, &st);
    CHECK(st == KTPEL_STATUS_OK && str_eq(got, str(c, "display")), "display %s != %s", got, str(c, "display"));
    got = name_out(ktpel_name_normalize_compare, in, &st);
    CHECK(st == KTPEL_STATUS_OK && str_eq(got, str(c, "normalized")), "normalized %s", got);
    got = name_out(ktpel_name_matching_key, in, &st);
    CHECK(st == KTPEL_STATUS_OK && str_eq(got, str(c, "matching_key")), "matching_key %s", got);
    got = name_out(ktpel_name_phonetic_key, in, &st);
    CHECK(st == KTPEL_STATUS_OK && str_eq(got, str(c, "phonetic_key")), "phonetic_key %s", got);

    /* The JSON form: display, normalized and the removed titles in order. */
    got = name_out(ktpel_name_normalize_json, in, &st);
    cJSON *nj = cJSON_Parse(got);
    CHECK(st == KTPEL_STATUS_OK && nj, "normalize_json %s", got);
    if (nj) {
      CHECK(str_eq(str(nj, "display"), str(c, "display")), "json display");
      CHECK(str_eq(str(nj, "normalized"), str(c, "normalized")), "json normalized");
      const cJSON *rem = cJSON_GetObjectItemCaseSensitive(nj, "removed");
      const cJSON *want = cJSON_GetObjectItemCaseSensitive(c, "removed");
      CHECK(cJSON_GetArraySize(rem) == cJSON_GetArraySize(want), "removed count %d != %d",
            cJSON_GetArraySize(rem), cJSON_GetArraySize(want));
      for (int i = 0; i < cJSON_GetArraySize(want) && i < cJSON_GetArraySize(rem); i++) {
        const cJSON *r = cJSON_GetArrayItem(rem, i);
        CHECK(str_eq(str(r, "title"), cJSON_GetArrayItem(want, i)->valuestring), "removed[%d] %s", i, str(r, "title"));
        CHECK(str(r, "kind") && str(r, "position") && str(r, "meaning") && str(r, "text"), "removed[%d] fields", i);
      }
      cJSON_Delete(nj);
    }

    /* check: the first anomaly, all anomalies, the mother. */
    const char *want_first = str(c, "anomaly");
    const cJSON *want_all = cJSON_GetObjectItemCaseSensitive(c, "anomalies");
    int n_all = cJSON_GetArraySize(want_all);
    ktpel_name_check_result r;
    st = ktpel_name_check(U(in), strlen(in), &r);
    CHECK(st == KTPEL_STATUS_OK, "check %u", st);
    CHECK(r.code == (want_first ? status_of_name(want_first) : KTPEL_STATUS_OK), "check code %u, want %s", r.code,
          want_first ? want_first : "none");
    CHECK((r.code == KTPEL_STATUS_OK) == (r.severity == KTPEL_NAME_SEVERITY_NONE), "severity %u for code %u",
          r.severity, r.code);
    if (r.code == KTPEL_STATUS_SINGLE_WORD || r.code == KTPEL_STATUS_ABBREVIATED)
      CHECK(r.severity == KTPEL_NAME_SEVERITY_WARNING, "warning severity");
    else if (r.code != KTPEL_STATUS_OK)
      CHECK(r.severity == KTPEL_NAME_SEVERITY_ERROR, "error severity");
    CHECK(r.anomaly_count == (uint32_t)n_all, "anomaly_count %u != %d", r.anomaly_count, n_all);
    CHECK((r.code == KTPEL_STATUS_TOO_LONG) == (r.chars > KTPEL_NAME_MAX_CHARS), "chars %u", r.chars);
    uint32_t codes[16];
    size_t n_codes = 99;
    st = ktpel_name_check_all(U(in), strlen(in), codes, 16, &n_codes);
    CHECK(st == KTPEL_STATUS_OK && n_codes == (size_t)n_all, "check_all %u count %zu", st, n_codes);
    for (int i = 0; i < n_all && (size_t)i < n_codes; i++)
      CHECK(codes[i] == status_of_name(cJSON_GetArrayItem(want_all, i)->valuestring), "check_all[%d]", i);
    if (n_all > 0) {
      size_t need = 0;
      st = ktpel_name_check_all(U(in), strlen(in), codes, 0, &need);
      CHECK(st == KTPEL_STATUS_BUFFER_TOO_SMALL && need == (size_t)n_all, "check_all size query %u %zu", st, need);
    }
    got = name_out(ktpel_name_check_json, in, &st);
    cJSON *aj = cJSON_Parse(got);
    CHECK(st == KTPEL_STATUS_OK && cJSON_IsArray(aj) && cJSON_GetArraySize(aj) == n_all, "check_json %s", got);
    for (int i = 0; aj && i < n_all && i < cJSON_GetArraySize(aj); i++) {
      const cJSON *a = cJSON_GetArrayItem(aj, i);
      CHECK(str_eq(str(a, "code"), cJSON_GetArrayItem(want_all, i)->valuestring), "check_json[%d] code", i);
      CHECK(str(a, "message") && str(a, "severity"), "check_json[%d] fields", i);
    }
    cJSON_Delete(aj);
    const char *mother = str(c, "mother");
    got = name_out(ktpel_name_check_mother, in, &st);
    CHECK(st == KTPEL_STATUS_OK, "check_mother %u", st);
    if (mother) {
      CHECK(r.has_mother == 1 && str_eq(got, mother), "mother %s != %s", got, mother);
    } else if (!r.has_mother) {
      CHECK(got[0] == 0, "no mother but %s", got);
    }
    char what[512];
    snprintf(what, sizeof what, "names.json %s (%s)", in, str(c, "note"));
    case_end(what);
  }
  cJSON_Delete(doc);
  CHECK(count >= 80, "names.json has %d cases", count);
}

static void test_name_pairs(const char *dir) {
  cJSON *doc = load(dir, "name_pairs.json");
  const cJSON *pairs = cJSON_GetObjectItemCaseSensitive(doc, "pairs");
  int n = cJSON_GetArraySize(pairs);
  ktpel_str *a = calloc((size_t)n, sizeof *a), *b = calloc((size_t)n, sizeof *b);
  double *batch = calloc((size_t)n, sizeof *batch);
  for (int i = 0; i < n; i++) {
    const cJSON *p = cJSON_GetArrayItem(pairs, i);
    a[i].ptr = U(str(p, "a"));
    a[i].len = strlen(str(p, "a"));
    b[i].ptr = U(str(p, "b"));
    b[i].len = strlen(str(p, "b"));
  }
  case_begin();
  uint32_t st = ktpel_name_similarity_batch(a, b, (size_t)n, batch);
  CHECK(st == KTPEL_STATUS_OK, "batch %u: %s", st, last_error());
  case_end("name_pairs.json: similarity_batch");

  int tp = 0, fp = 0, fn = 0;
  for (int i = 0; i < n; i++) {
    const cJSON *p = cJSON_GetArrayItem(pairs, i);
    case_begin();
    double s = -1, s_ba = -1, one = -1;
    ktpel_name_scores sc;
    CHECK(ktpel_name_similarity(a[i].ptr, a[i].len, b[i].ptr, b[i].len, &s) == KTPEL_STATUS_OK, "similarity");
    CHECK(ktpel_name_similarity(b[i].ptr, b[i].len, a[i].ptr, a[i].len, &s_ba) == KTPEL_STATUS_OK, "similarity b,a");
    CHECK(s >= 0 && s <= 1 && s == s_ba, "symmetric in [0,1]: %f %f", s, s_ba);
    CHECK(ktpel_name_similarity(a[i].ptr, a[i].len, a[i].ptr, a[i].len, &one) == KTPEL_STATUS_OK && one == 1.0,
          "similarity(a, a) = %f", one);
    CHECK(batch[i] == s, "batch %f != %f", batch[i], s);
    CHECK(ktpel_name_similarity_scores(a[i].ptr, a[i].len, b[i].ptr, b[i].len, &sc) == KTPEL_STATUS_OK, "scores");
    CHECK(sc.combined == s, "combined %f != %f", sc.combined, s);
    CHECK(sc.token >= 0 && sc.token <= 1 && sc.jaro_winkler >= 0 && sc.jaro_winkler <= 1 && sc.levenshtein >= 0 &&
              sc.levenshtein <= 1,
          "components in [0,1]");
    /* The prepared scorer gives the same full similarity, and its fast pass
       the Jaro-Winkler component, from b's stored matching key. */
    ktpel_name_scorer *q = NULL;
    CHECK(ktpel_name_scorer_new(a[i].ptr, a[i].len, &q) == KTPEL_STATUS_OK && q, "scorer_new");
    double full = -1, jw = -1;
    CHECK(ktpel_name_scorer_similarity(q, &b[i], 1, &full) == KTPEL_STATUS_OK && full == s, "scorer %f != %f", full, s);
    char key[512];
    size_t kn = 0;
    CHECK(ktpel_name_matching_key(b[i].ptr, b[i].len, (uint8_t *)key, sizeof key, &kn) == KTPEL_STATUS_OK, "key");
    char qkey[512];
    size_t qn = 0;
    CHECK(ktpel_name_scorer_key(q, (uint8_t *)qkey, sizeof qkey, &qn) == KTPEL_STATUS_OK, "scorer_key");
    ktpel_str k = {U(key), kn};
    CHECK(ktpel_name_scorer_jaro_winkler(q, &k, 1, &jw) == KTPEL_STATUS_OK, "scorer_jaro_winkler");
    if (kn > 0 && qn > 0)
      CHECK(jw > sc.jaro_winkler - 1e-12 && jw < sc.jaro_winkler + 1e-12, "scorer jw %.17g != %.17g", jw,
            sc.jaro_winkler);
    ktpel_name_scorer_free(q);
    const cJSON *same = cJSON_GetObjectItemCaseSensitive(p, "same");
    if (str_eq(str(p, "origin"), "hand")) {
      int pos = s >= KTPEL_NAME_DEFAULT_THRESHOLD;
      if (pos && cJSON_IsTrue(same)) tp++;
      if (pos && !cJSON_IsTrue(same)) fp++;
      if (!pos && cJSON_IsTrue(same)) fn++;
    }
    char what[512];
    snprintf(what, sizeof what, "name_pairs.json %s", str(p, "id"));
    case_end(what);
  }
  /* The same quality floors as ktpel-core/tests/name_vectors.rs. */
  case_begin();
  double precision = (double)tp / (tp + fp), recall = (double)tp / (tp + fn);
  CHECK(precision >= 0.94 && recall >= 0.97, "precision %.3f recall %.3f", precision, recall);
  case_end("name_pairs.json: precision and recall floors through the C API");
  free(a);
  free(b);
  free(batch);
  cJSON_Delete(doc);
}

static void test_name_block(void) {
  case_begin();
  /* One query against a block: the fast pass ranks the right key first,
     block results equal one-at-a-time results. */
  const char *names[] = {"MUHAMAD ARIF", "MUHAMAD RIZAL", "ARIF MUHAMAD", "SITI AMINAH", "M. ARIEF"};
  enum { N = 5 };
  ktpel_str keys[N], raw[N];
  char kbuf[N][128];
  for (int i = 0; i < N; i++) {
    size_t kn = 0;
    CHECK(ktpel_name_matching_key(U(names[i]), strlen(names[i]), (uint8_t *)kbuf[i], 128, &kn) == KTPEL_STATUS_OK,
          "key");
    keys[i].ptr = U(kbuf[i]);
    keys[i].len = kn;
    raw[i].ptr = U(names[i]);
    raw[i].len = strlen(names[i]);
  }
  ktpel_name_scorer *q = NULL;
  CHECK(ktpel_name_scorer_new(U("MOCH. ARIEF"), 11, &q) == KTPEL_STATUS_OK, "scorer_new");
  double jw[N], full[N];
  CHECK(ktpel_name_scorer_jaro_winkler(q, keys, N, jw) == KTPEL_STATUS_OK, "block jw");
  CHECK(jw[0] > jw[1] && jw[0] > jw[3], "ranking %f %f %f", jw[0], jw[1], jw[3]);
  for (int i = 0; i < N; i++) {
    double one = -1;
    CHECK(ktpel_name_scorer_jaro_winkler(q, &keys[i], 1, &one) == KTPEL_STATUS_OK && one == jw[i], "block[%d]", i);
  }
  /* With a cutoff: the exact score at or above it, 0 below (the prefilter
     loses nothing), for every cutoff in a sweep. */
  for (int c = 0; c <= 20; c++) {
    double cutoff = c / 20.0, cut[N];
    CHECK(ktpel_name_scorer_jaro_winkler_cutoff(q, keys, N, cutoff, cut) == KTPEL_STATUS_OK, "cutoff %f", cutoff);
    for (int i = 0; i < N; i++)
      CHECK(cut[i] == (jw[i] >= cutoff ? jw[i] : 0.0), "cutoff %f [%d]: %f vs %f", cutoff, i, cut[i], jw[i]);
  }
  double ignored[N];
  CHECK(ktpel_name_scorer_jaro_winkler_cutoff(q, keys, N, 1.5, ignored) == KTPEL_STATUS_INVALID_ARGUMENT &&
            strstr(last_error(), "cutoff"),
        "cutoff out of range: %s", last_error());
  CHECK(ktpel_name_scorer_similarity(q, raw, N, full) == KTPEL_STATUS_OK, "block full");
  CHECK(full[0] >= KTPEL_NAME_DEFAULT_THRESHOLD && full[2] >= KTPEL_NAME_DEFAULT_THRESHOLD &&
            full[4] >= KTPEL_NAME_DEFAULT_THRESHOLD && full[3] < KTPEL_NAME_DEFAULT_THRESHOLD,
        "full %f %f %f %f", full[0], full[2], full[4], full[3]);
  /* Errors: NULL handle, NULL array with a count, bad UTF-8 naming the index. */
  CHECK(ktpel_name_scorer_similarity(NULL, raw, N, full) == KTPEL_STATUS_NULL_ARGUMENT, "NULL scorer");
  CHECK(ktpel_name_scorer_similarity(q, NULL, 2, full) == KTPEL_STATUS_NULL_ARGUMENT, "NULL candidates");
  ktpel_str bad[2] = {{U("SITI"), 4}, {U("\xff"), 1}};
  CHECK(ktpel_name_scorer_similarity(q, bad, 2, full) == KTPEL_STATUS_INVALID_UTF8 && strstr(last_error(), "[1]"),
        "bad UTF-8: %s", last_error());
  CHECK(ktpel_name_similarity_batch(bad, bad, 2, full) == KTPEL_STATUS_INVALID_UTF8, "batch bad UTF-8");
  ktpel_name_scorer_free(q);
  ktpel_name_scorer_free(NULL);
  /* Caller-buffer rule on a name output. */
  size_t need = 0;
  const char *t = "Hj. Siti Aminah, S.Pd.";
  CHECK(ktpel_name_normalize(U(t), strlen(t), NULL, 0, &need) == KTPEL_STATUS_BUFFER_TOO_SMALL && need == 11,
        "size query %zu", need);
  char out[11];
  size_t w = 0;
  CHECK(ktpel_name_normalize(U(t), strlen(t), (uint8_t *)out, need, &w) == KTPEL_STATUS_OK && w == 11 &&
            memcmp(out, "SITI AMINAH", 11) == 0,
        "exact buffer");
  CHECK(ktpel_name_check(U(t), strlen(t), NULL) == KTPEL_STATUS_NULL_ARGUMENT, "NULL out");
  char keys_json[256];
  CHECK(ktpel_name_blocking_keys_json(U(t), strlen(t), (uint8_t *)keys_json, sizeof keys_json - 1, &w) ==
            KTPEL_STATUS_OK,
        "blocking keys");
  keys_json[w] = 0;
  cJSON *kj = cJSON_Parse(keys_json);
  CHECK(cJSON_IsArray(kj) && cJSON_GetArraySize(kj) >= 1, "blocking keys %s", keys_json);
  cJSON_Delete(kj);
  case_end("name scorer block, errors, buffers");
}

/* One scorer shared by four threads (ktpel_name_scorer is Send + Sync): every
   thread gets the same scores as the main thread. */
struct scorer_job {
  const ktpel_name_scorer *q;
  const ktpel_str *items;
  size_t n;
  const double *want;
  int mismatches;
};

static void *scorer_thread(void *arg) {
  struct scorer_job *j = arg;
  double got[8];
  for (int round = 0; round < 50; round++) {
    if (ktpel_name_scorer_similarity(j->q, j->items, j->n, got) != KTPEL_STATUS_OK) {
      j->mismatches++;
      continue;
    }
    for (size_t i = 0; i < j->n; i++) j->mismatches += got[i] != j->want[i];
  }
  return NULL;
}

static void test_name_scorer_threads(void) {
  case_begin();
  const char *names[] = {"MUHAMAD ARIF", "SITI AMINAH", "ARIEF MOCHAMAD", "M. RIZAL", "SOEKARNO"};
  enum { N = 5, T = 4 };
  ktpel_str items[N];
  for (int i = 0; i < N; i++) {
    items[i].ptr = U(names[i]);
    items[i].len = strlen(names[i]);
  }
  ktpel_name_scorer *q = NULL;
  CHECK(ktpel_name_scorer_new(U("MOCH. ARIEF"), 11, &q) == KTPEL_STATUS_OK, "scorer_new");
  double want[N];
  CHECK(ktpel_name_scorer_similarity(q, items, N, want) == KTPEL_STATUS_OK, "main thread");
  pthread_t th[T];
  struct scorer_job jobs[T];
  for (int t = 0; t < T; t++) {
    jobs[t] = (struct scorer_job){q, items, N, want, 0};
    CHECK(pthread_create(&th[t], NULL, scorer_thread, &jobs[t]) == 0, "pthread_create");
  }
  for (int t = 0; t < T; t++) {
    pthread_join(th[t], NULL);
    CHECK(jobs[t].mismatches == 0, "thread %d: %d mismatches", t, jobs[t].mismatches);
  }
  ktpel_name_scorer_free(q);
  case_end("name scorer shared by 4 threads");
}

/* ---- sample ------------------------------------------------------------- */

struct sample_progress {
  int calls;
  uint64_t last;
  int monotonic;
};

static void on_sample_progress(void *user, uint64_t rows) {
  struct sample_progress *p = user;
  if (rows < p->last) p->monotonic = 0;
  p->calls++;
  p->last = rows;
}

static long count_lines(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  long n = 0;
  int ch;
  while ((ch = fgetc(f)) != EOF)
    if (ch == '\n') n++;
  fclose(f);
  return n;
}

static const char *SAMPLE_FILES[5] = {"population.csv", "population_later.csv", "agency.csv", "truth_agency.csv",
                                      "truth_changes.csv"};

static int same_file(const char *d1, const char *d2, const char *name) {
  char p1[4096], p2[4096];
  snprintf(p1, sizeof p1, "%s/%s", d1, name);
  snprintf(p2, sizeof p2, "%s/%s", d2, name);
  char *a = read_file(p1), *b = read_file(p2);
  int eq = a && b && strcmp(a, b) == 0;
  free(a);
  free(b);
  return eq;
}

static void remove_sample(const char *d) {
  char p[4096];
  for (int i = 0; i < 5; i++) {
    snprintf(p, sizeof p, "%s/%s", d, SAMPLE_FILES[i]);
    remove(p);
  }
  remove(d);
}

static void test_sample(const char *tmp) {
  char d1[1024], d2[1024], d3[1024];
  snprintf(d1, sizeof d1, "%s/ktpel_sample_a", tmp);
  snprintf(d2, sizeof d2, "%s/ktpel_sample_b", tmp);
  snprintf(d3, sizeof d3, "%s/ktpel_sample_c", tmp);
  ktpel_sample_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.seed = 7;
  cfg.population = 2000;

  case_begin();
  struct sample_progress p = {0, 0, 1};
  ktpel_sample_summary s1, s2, s3;
  uint32_t st = ktpel_sample_write_all(&cfg, U(d1), strlen(d1), on_sample_progress, &p, &s1);
  CHECK(st == KTPEL_STATUS_OK, "write_all %u: %s", st, last_error());
  CHECK(s1.register_rows == 2000 && s1.agency_rows == 200, "rows %llu agency %llu",
        (unsigned long long)s1.register_rows, (unsigned long long)s1.agency_rows);
  CHECK(p.calls >= 1 && p.monotonic && p.last == s1.register_rows, "progress calls %d last %llu", p.calls,
        (unsigned long long)p.last);
  uint64_t want[5] = {s1.register_rows, s1.later_rows, s1.agency_rows, s1.agency_rows, s1.changes};
  for (int i = 0; i < 5; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", d1, SAMPLE_FILES[i]);
    long lines = count_lines(path);
    CHECK(lines == (long)want[i] + 1, "%s has %ld lines, summary says %llu rows + header", SAMPLE_FILES[i], lines,
          (unsigned long long)want[i]);
  }
  uint64_t by_kind = 0;
  for (int i = 0; i < KTPEL_SAMPLE_CHANGE_KINDS; i++) by_kind += s1.changes_by_kind[i];
  CHECK(by_kind == s1.changes && s1.changes > 0, "changes by kind %llu != %llu", (unsigned long long)by_kind,
        (unsigned long long)s1.changes);
  CHECK(s1.agency_clean > 0 && s1.agency_clean < s1.agency_rows, "agency_clean %llu",
        (unsigned long long)s1.agency_clean);
  char name[64];
  size_t w = 0;
  CHECK(ktpel_sample_change_kind_name(0, (uint8_t *)name, sizeof name, &w) == KTPEL_STATUS_OK && w == 5 &&
            memcmp(name, "LAHIR", 5) == 0,
        "kind 0");
  CHECK(ktpel_sample_change_kind_name(KTPEL_SAMPLE_CHANGE_KINDS, (uint8_t *)name, sizeof name, &w) ==
            KTPEL_STATUS_INVALID_ARGUMENT,
        "kind out of range");
  case_end("sample: 2,000 rows, files consistent with the summary");

  case_begin();
  st = ktpel_sample_write_all(&cfg, U(d2), strlen(d2), NULL, NULL, &s2);
  CHECK(st == KTPEL_STATUS_OK && memcmp(&s1, &s2, sizeof s1) == 0, "same seed, same summary");
  for (int i = 0; i < 5; i++) CHECK(same_file(d1, d2, SAMPLE_FILES[i]), "%s differs for the same seed", SAMPLE_FILES[i]);
  cfg.seed = 8;
  st = ktpel_sample_write_all(&cfg, U(d3), strlen(d3), NULL, NULL, &s3);
  CHECK(st == KTPEL_STATUS_OK && !same_file(d1, d3, "population.csv"), "another seed, another register");
  case_end("sample: same seed gives identical bytes");

  case_begin();
  /* Rates and dates; bad settings are named in the message. */
  cfg.seed = 7;
  cfg.agency = KTPEL_SAMPLE_NO_AGENCY;
  const char *rates = "{\"deceased_fraction\": 0.1, \"corruption\": {\"typo\": 0.5}, \"changes\": {\"births\": 0.02}}";
  cfg.rates_json.ptr = U(rates);
  cfg.rates_json.len = strlen(rates);
  st = ktpel_sample_write_all(&cfg, U(d3), strlen(d3), NULL, NULL, &s3);
  char agency_path[4096];
  snprintf(agency_path, sizeof agency_path, "%s/agency.csv", d3);
  CHECK(st == KTPEL_STATUS_OK && s3.agency_rows == 0 && count_lines(agency_path) == 1, "no agency: %u %s", st,
        last_error());
  const char *bad = "{\"corruption\": {\"typos\": 0.5}}";
  cfg.rates_json.ptr = U(bad);
  cfg.rates_json.len = strlen(bad);
  st = ktpel_sample_write_all(&cfg, U(d3), strlen(d3), NULL, NULL, &s3);
  CHECK(st == KTPEL_STATUS_INVALID_ARGUMENT && strstr(last_error(), "corruption.typos"), "unknown rate: %s",
        last_error());
  const char *out_of_range = "{\"corruption\": {\"typo\": 1.5}}";
  cfg.rates_json.ptr = U(out_of_range);
  cfg.rates_json.len = strlen(out_of_range);
  st = ktpel_sample_write_all(&cfg, U(d3), strlen(d3), NULL, NULL, &s3);
  CHECK(st == KTPEL_STATUS_INVALID_ARGUMENT && strstr(last_error(), "corruption.typo"), "rate 1.5: %s", last_error());
  cfg.rates_json.len = 0;
  cfg.later_as_of_year = 2020;
  cfg.later_as_of_month = 1;
  cfg.later_as_of_day = 1;
  st = ktpel_sample_write_all(&cfg, U(d3), strlen(d3), NULL, NULL, &s3);
  CHECK(st == KTPEL_STATUS_INVALID_ARGUMENT && strstr(last_error(), "later_as_of"), "later before as_of: %s",
        last_error());
  cfg.later_as_of_day = 32;
  st = ktpel_sample_write_all(&cfg, U(d3), strlen(d3), NULL, NULL, &s3);
  CHECK(st == KTPEL_STATUS_INVALID_ARGUMENT, "not a date");
  cfg.later_as_of_year = 0;
  cfg.later_as_of_month = 0;
  cfg.later_as_of_day = 0;
  st = ktpel_sample_write_all(&cfg, U("/proc/ktpel/x"), 13, NULL, NULL, &s3);
  CHECK(st == KTPEL_STATUS_IO, "unwritable dir: %u", st);
  CHECK(ktpel_sample_write_all(NULL, U(d3), strlen(d3), NULL, NULL, &s3) == KTPEL_STATUS_NULL_ARGUMENT, "NULL config");
  case_end("sample: rates, dates and errors");
  remove_sample(d1);
  remove_sample(d2);
  remove_sample(d3);
}

/* ---- matching ----------------------------------------------------------- */

static const char *dukcapil_of(const char *element) {
  static const char *map[][2] = {
      {"nik", "NIK"},           {"no_kk", "NO_KK"},          {"name", "NAMA_LGKP"},
      {"birth_place", "TMPT_LHR"}, {"birth_date", "TGL_LHR"},  {"sex", "JENIS_KLMIN"},
      {"mother_name", "NAMA_LGKP_IBU"}, {"address", "ALAMAT"}, {"rt", "NO_RT"},
      {"rw", "NO_RW"},          {"province", "NO_PROP"},     {"regency", "NO_KAB"},
      {"district", "NO_KEC"},   {"village", "NO_KEL"},       {"marital_status", "STAT_KWN"},
      {"religion", "AGAMA"},    {"family_relation", "STAT_HBKEL"}, {"occupation", "JENIS_PKRJN"},
      {"status", "STATUS"}};
  for (size_t i = 0; element && i < sizeof map / sizeof map[0]; i++)
    if (strcmp(map[i][0], element) == 0) return map[i][1];
  return "?";
}

/* Fields of a JSON object (column -> text) as ktpel_field; malloc'd. */
static ktpel_field *fields_of(const cJSON *o, size_t *n) {
  *n = (size_t)cJSON_GetArraySize(o);
  ktpel_field *f = calloc(*n ? *n : 1, sizeof *f);
  size_t i = 0;
  const cJSON *v;
  cJSON_ArrayForEach(v, o) {
    f[i].name.ptr = U(v->string);
    f[i].name.len = strlen(v->string);
    f[i].value.ptr = U(v->valuestring);
    f[i].value.len = strlen(v->valuestring);
    i++;
  }
  return f;
}

static void test_match_vectors(const char *dir) {
  cJSON *doc = load(dir, "matching.json");
  const cJSON *c;
  int count = 0;
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "verify")) {
    case_begin();
    count++;
    const char *id = str(c, "id");
    size_t ns = 0, nr = 0;
    ktpel_field *sub = fields_of(cJSON_GetObjectItemCaseSensitive(c, "submitted"), &ns);
    const cJSON *ref_json = cJSON_GetObjectItemCaseSensitive(c, "reference");
    ktpel_field *ref = cJSON_IsObject(ref_json) ? fields_of(ref_json, &nr) : NULL;
    const char *policy = str(c, "policy_toml");
    size_t need = 0;
    uint32_t st = ktpel_match_verify(sub, ns, ref, nr, policy ? U(policy) : NULL, policy ? strlen(policy) : 0, NULL,
                                     0, &need);
    CHECK(st == KTPEL_STATUS_BUFFER_TOO_SMALL && need > 0, "size query %u: %s", st, last_error());
    char *buf = malloc(need + 1);
    size_t w = 0;
    st = ktpel_match_verify(sub, ns, ref, nr, policy ? U(policy) : NULL, policy ? strlen(policy) : 0, (uint8_t *)buf,
                            need, &w);
    CHECK(st == KTPEL_STATUS_OK && w == need, "verify %u: %s", st, last_error());
    buf[st == KTPEL_STATUS_OK ? w : 0] = 0;
    cJSON *v = cJSON_Parse(buf);
    CHECK(v != NULL, "JSON %s", buf);
    if (v) {
      CHECK(str_eq(str(v, "overall"), str(c, "overall")), "overall %s != %s", str(v, "overall"), str(c, "overall"));
      const cJSON *want = cJSON_GetObjectItemCaseSensitive(c, "elements");
      const cJSON *got = cJSON_GetObjectItemCaseSensitive(v, "elements");
      CHECK(cJSON_GetArraySize(got) == cJSON_GetArraySize(want), "elements %d != %d", cJSON_GetArraySize(got),
            cJSON_GetArraySize(want));
      const cJSON *e;
      cJSON_ArrayForEach(e, got) {
        const char *col = dukcapil_of(str(e, "element"));
        const cJSON *w_e = cJSON_GetObjectItemCaseSensitive(want, col);
        CHECK(w_e != NULL, "unexpected element %s", col);
        if (!w_e) continue;
        CHECK(str_eq(str(e, "verdict"), str(w_e, "verdict")), "%s verdict %s != %s", col, str(e, "verdict"),
              str(w_e, "verdict"));
        const char *flag = str(w_e, "flag");
        const cJSON *gflag = cJSON_GetObjectItemCaseSensitive(e, "flag");
        if (flag)
          CHECK(cJSON_IsString(gflag) && str_eq(gflag->valuestring, flag), "%s flag", col);
        else
          CHECK(!gflag || cJSON_IsNull(gflag), "%s has an unexpected flag", col);
        double score = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "score"));
        const cJSON *mn = cJSON_GetObjectItemCaseSensitive(w_e, "score_min");
        const cJSON *mx = cJSON_GetObjectItemCaseSensitive(w_e, "score_max");
        if (cJSON_IsNumber(mn)) CHECK(score >= mn->valuedouble, "%s score %f < %f", col, score, mn->valuedouble);
        if (cJSON_IsNumber(mx)) CHECK(score <= mx->valuedouble, "%s score %f > %f", col, score, mx->valuedouble);
      }
      /* returned: [[element, value], ...] == the expected object, any order */
      const cJSON *want_ret = cJSON_GetObjectItemCaseSensitive(c, "returned");
      const cJSON *got_ret = cJSON_GetObjectItemCaseSensitive(v, "returned");
      CHECK(cJSON_GetArraySize(got_ret) == cJSON_GetArraySize(want_ret), "returned %d != %d",
            cJSON_GetArraySize(got_ret), cJSON_GetArraySize(want_ret));
      const cJSON *r;
      cJSON_ArrayForEach(r, got_ret) {
        const char *col = dukcapil_of(cJSON_GetStringValue(cJSON_GetArrayItem(r, 0)));
        const char *val = cJSON_GetStringValue(cJSON_GetArrayItem(r, 1));
        CHECK(str_eq(str(want_ret, col), val), "returned %s = %s", col, val ? val : "(null)");
      }
      CHECK(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(v, "findings")), "findings");
      cJSON_Delete(v);
    }
    free(buf);
    free(sub);
    free(ref);
    char what[256];
    snprintf(what, sizeof what, "matching.json verify %s", id);
    case_end(what);
  }
  cJSON_Delete(doc);
  case_begin();
  CHECK(count >= 10, "matching.json has %d verify cases", count);
  ktpel_field f = {{U("NAMA_LGKP"), 11}, {U("SITI AMINAH"), 11}};
  char out[64];
  size_t w = 0;
  const char *bad = "[elements";
  CHECK(ktpel_match_verify(&f, 1, NULL, 0, U(bad), strlen(bad), (uint8_t *)out, sizeof out, &w) ==
            KTPEL_STATUS_INVALID_CONFIG,
        "bad policy: %s", last_error());
  ktpel_field badutf = {{U("NAMA_LGKP"), 9}, {U("\xff"), 1}};
  CHECK(ktpel_match_verify(&badutf, 1, NULL, 0, NULL, 0, (uint8_t *)out, sizeof out, &w) == KTPEL_STATUS_INVALID_UTF8 &&
            strstr(last_error(), "submitted[0].value"),
        "bad UTF-8: %s", last_error());
  case_end("matching verify: vector count, bad policy, bad UTF-8");
}

struct match_progress {
  int calls, phases_seen;
  uint64_t last_bytes, total;
};

static void on_match_progress(void *user, uint32_t phase, uint32_t pass, uint32_t passes, uint64_t bytes,
                              uint64_t total) {
  struct match_progress *p = user;
  (void)pass;
  (void)passes;
  p->calls++;
  p->phases_seen |= 1 << phase;
  p->last_bytes = bytes;
  p->total = total;
}

static void test_match_dedupe(const char *tmp) {
  case_begin();
  char in[1024], out[1024], dup[2048], summary[2048];
  snprintf(in, sizeof in, "%s/ktpel_dedupe_in.csv", tmp);
  snprintf(out, sizeof out, "%s/ktpel_dedupe_out", tmp);
  snprintf(dup, sizeof dup, "%s/duplikat.csv", out);
  snprintf(summary, sizeof summary, "%s/summary.json", out);
  FILE *f = fopen(in, "w");
  CHECK(f != NULL, "create %s", in);
  /* Row 1 and 2: one NIK, two different persons. Rows 3 and 4: one person, two NIKs. */
  fputs("NIK,NAMA_LGKP,TGL_LHR,JENIS_KLMIN,NAMA_LGKP_IBU\n"
        "3174015708900123,SITI AMINAH,17-08-1990,P,RATNA\n"
        "3174015708900123,BUDI SANTOSO,01-02-1970,L,SRI\n"
        "3273010101850001,AHMAD FAUZI,01-01-1985,L,SITI KHADIJAH\n"
        "3273010101850002,AHMAD FAUZI,01-01-1985,L,SITI KHADIJAH\n"
        "\"broken,row\n",
        f);
  fclose(f);
  ktpel_dedupe_counts c;
  memset(&c, 0, sizeof c);
  uint32_t st = ktpel_match_dedupe(U(in), strlen(in), U(out), strlen(out), NULL, 0, 0.0, &c);
  CHECK(st == KTPEL_STATUS_OK, "dedupe %u: %s", st, last_error());
  CHECK(c.rows == 5 && c.malformed == 1, "rows %llu malformed %llu", (unsigned long long)c.rows,
        (unsigned long long)c.malformed);
  CHECK(c.nik_shared == 1, "nik_shared %llu", (unsigned long long)c.nik_shared);
  CHECK(c.person_multiple_nik == 1, "person_multiple_nik %llu", (unsigned long long)c.person_multiple_nik);
  CHECK(count_lines(dup) == 3, "duplikat.csv has %ld lines", count_lines(dup));
  CHECK(count_lines(summary) >= 1, "summary.json");
  CHECK(ktpel_match_dedupe(U(in), strlen(in), U(out), strlen(out), NULL, 0, 1.5, &c) == KTPEL_STATUS_INVALID_ARGUMENT,
        "accept 1.5");
  CHECK(ktpel_match_dedupe(U("/nonexistent.csv"), 16, U(out), strlen(out), NULL, 0, 0.0, &c) == KTPEL_STATUS_IO,
        "missing file");
  CHECK(ktpel_match_dedupe(U(in), strlen(in), U(out), strlen(out), NULL, 0, 0.0, NULL) == KTPEL_STATUS_NULL_ARGUMENT,
        "NULL counts");
  case_end("matching dedupe: shared NIK and one person under two NIKs");
  remove(in);
  remove(dup);
  remove(summary);
  rmdir(out);
}

static void test_match_batch(const char *tmp) {
  case_begin();
  char gen[1024], out[1024], agency[2048], pop[2048], hasil[2048];
  snprintf(gen, sizeof gen, "%s/ktpel_match_gen", tmp);
  snprintf(out, sizeof out, "%s/ktpel_match_out", tmp);
  snprintf(agency, sizeof agency, "%s/agency.csv", gen);
  snprintf(pop, sizeof pop, "%s/population.csv", gen);
  snprintf(hasil, sizeof hasil, "%s/hasil.csv", out);
  ktpel_sample_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.seed = 3;
  cfg.population = 2000;
  ktpel_sample_summary s;
  CHECK(ktpel_sample_write_all(&cfg, U(gen), strlen(gen), NULL, NULL, &s) == KTPEL_STATUS_OK, "sample");
  ktpel_match_options o;
  memset(&o, 0, sizeof o);
  o.reference_year = 2022;
  o.reference_month = 11;
  o.reference_day = 30;
  struct match_progress p = {0, 0, 0, 0};
  ktpel_match_report *rep = NULL;
  uint32_t st = ktpel_match_run_batch(U(agency), strlen(agency), U(pop), strlen(pop), U(out), strlen(out), &o,
                                      on_match_progress, &p, &rep);
  CHECK(st == KTPEL_STATUS_OK && rep, "run_batch %u: %s", st, last_error());
  ktpel_match_counts c;
  memset(&c, 0, sizeof c);
  CHECK(ktpel_match_report_counts(rep, &c) == KTPEL_STATUS_OK, "counts");
  CHECK(c.received == s.agency_rows, "received %llu of %llu agency rows", (unsigned long long)c.received,
        (unsigned long long)s.agency_rows);
  CHECK(c.matched + c.anomaly + c.duplicate + c.unmatched + c.nik_not_found == c.received, "categories add up");
  /* About 60 % of generated agency rows are clean; most of them match. */
  CHECK(c.matched >= s.agency_clean / 2 && c.matched < c.received, "matched %llu (clean %llu)",
        (unsigned long long)c.matched, (unsigned long long)s.agency_clean);
  CHECK(count_lines(hasil) == (long)c.received + 1, "hasil.csv has %ld lines", count_lines(hasil));
  CHECK(p.calls >= 1 && (p.phases_seen & (1 << KTPEL_MATCH_PHASE_AGENCY)), "progress calls %d phases %x", p.calls,
        p.phases_seen);
  size_t need = 0;
  CHECK(ktpel_match_report_json(rep, NULL, 0, &need) == KTPEL_STATUS_BUFFER_TOO_SMALL, "json size");
  char *json = malloc(need + 1);
  size_t w = 0;
  CHECK(ktpel_match_report_json(rep, (uint8_t *)json, need, &w) == KTPEL_STATUS_OK && w == need, "json");
  json[w] = 0;
  cJSON *j = cJSON_Parse(json);
  CHECK(j && (uint64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "received")) == c.received,
        "summary JSON %s", json);
  cJSON_Delete(j);
  free(json);
  ktpel_match_report_free(rep);
  ktpel_match_report_free(NULL);
  /* NIK recovery: kandidat.csv and a recovery section in the summary. */
  o.recover = 1;
  rep = NULL;
  st = ktpel_match_run_batch(U(agency), strlen(agency), U(pop), strlen(pop), U(out), strlen(out), &o, NULL, NULL,
                             &rep);
  CHECK(st == KTPEL_STATUS_OK, "recover %u: %s", st, last_error());
  char kandidat[2048];
  snprintf(kandidat, sizeof kandidat, "%s/kandidat.csv", out);
  CHECK(count_lines(kandidat) >= 1, "kandidat.csv");
  need = 0;
  ktpel_match_report_json(rep, NULL, 0, &need);
  json = malloc(need + 1);
  CHECK(ktpel_match_report_json(rep, (uint8_t *)json, need, &w) == KTPEL_STATUS_OK, "recover json");
  json[w] = 0;
  j = cJSON_Parse(json);
  const cJSON *rec = cJSON_GetObjectItemCaseSensitive(j, "recovery");
  CHECK(cJSON_IsObject(rec) && cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(rec, "rows")) >= 1,
        "recovery summary: %s", json);
  cJSON_Delete(j);
  free(json);
  ktpel_match_report_free(rep);
  o.recover = 2;
  CHECK(ktpel_match_run_batch(U(agency), strlen(agency), U(pop), strlen(pop), U(out), strlen(out), &o, NULL, NULL,
                              &rep) == KTPEL_STATUS_INVALID_ARGUMENT,
        "recover = 2");
  o.recover = 0;
  /* Errors: a missing file, a bad mapping, a bad memory budget combination. */
  rep = NULL;
  st = ktpel_match_run_batch(U("/nonexistent.csv"), 16, U(pop), strlen(pop), U(out), strlen(out), &o, NULL, NULL,
                             &rep);
  CHECK(st == KTPEL_STATUS_IO && rep == NULL, "missing agency file: %u", st);
  const char *bad_policy = "min_agreeing = \"x\"";
  o.policy_toml.ptr = U(bad_policy);
  o.policy_toml.len = strlen(bad_policy);
  st = ktpel_match_run_batch(U(agency), strlen(agency), U(pop), strlen(pop), U(out), strlen(out), &o, NULL, NULL,
                             &rep);
  CHECK(st == KTPEL_STATUS_INVALID_CONFIG && rep == NULL, "bad policy: %u %s", st, last_error());
  CHECK(ktpel_match_run_batch(U(agency), strlen(agency), U(pop), strlen(pop), U(out), strlen(out), NULL, NULL, NULL,
                              &rep) == KTPEL_STATUS_NULL_ARGUMENT,
        "NULL options");
  case_end("matching batch: generated agency file against its register");
  remove_sample(gen);
  const char *outs[] = {"hasil.csv", "anomali.csv", "ganda.csv", "summary.json", "kandidat.csv"};
  for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) {
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", out, outs[i]);
    remove(path);
  }
  remove(out);
}


/* ---- events ------------------------------------------------------------- */

static char *csv_of(const cJSON *header, const cJSON *rows) {
  size_t cap = 1 << 16, n = 0;
  char *b = malloc(cap);
  const cJSON *lines[64];
  int nl = 0;
  lines[nl++] = header;
  const cJSON *r;
  cJSON_ArrayForEach(r, rows) if (nl < 64) lines[nl++] = r;
  for (int i = 0; i < nl; i++) {
    const cJSON *f;
    int first = 1;
    cJSON_ArrayForEach(f, lines[i]) {
      n += (size_t)snprintf(b + n, cap - n, "%s%s", first ? "" : ",", cJSON_GetStringValue(f));
      first = 0;
    }
    n += (size_t)snprintf(b + n, cap - n, "\n");
  }
  return b;
}

static char *report_json(ktpel_events_report *rep) {
  size_t need = 0;
  ktpel_events_report_json(rep, NULL, 0, &need);
  char *j = malloc(need + 1);
  size_t w = 0;
  CHECK(ktpel_events_report_json(rep, (uint8_t *)j, need, &w) == KTPEL_STATUS_OK && w == need, "report json");
  j[w] = 0;
  return j;
}

static double num_at(const cJSON *o, const char *key) {
  return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static void test_events_vectors(const char *dir) {
  cJSON *v = load(dir, "events.json");
  const cJSON *header = cJSON_GetObjectItemCaseSensitive(v, "header");
  ktpel_events_options o;
  memset(&o, 0, sizeof o);
  sscanf(str(v, "as_of"), "%d-%u-%u", &o.as_of_year, &o.as_of_month, &o.as_of_day);
  sscanf(str(v, "since"), "%d-%u-%u", &o.since_year, &o.since_month, &o.since_day);
  const cJSON *c;
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(v, "cases")) {
    case_begin();
    char *old = csv_of(header, cJSON_GetObjectItemCaseSensitive(c, "old"));
    char *neu = csv_of(header, cJSON_GetObjectItemCaseSensitive(c, "new"));
    size_t need = 0;
    uint32_t st = ktpel_events_diff_csv(U(old), strlen(old), U(neu), strlen(neu), &o, NULL, 0, &need);
    CHECK(st == KTPEL_STATUS_BUFFER_TOO_SMALL && need > 0, "size %u", st);
    char *out = malloc(need + 1);
    size_t w = 0;
    st = ktpel_events_diff_csv(U(old), strlen(old), U(neu), strlen(neu), &o, (uint8_t *)out, need, &w);
    CHECK(st == KTPEL_STATUS_OK, "diff_csv %u: %s", st, last_error());
    out[w] = 0;
    cJSON *got = cJSON_Parse(out);
    const cJSON *ge = cJSON_GetObjectItemCaseSensitive(got, "events");
    const cJSON *we = cJSON_GetObjectItemCaseSensitive(c, "expected_events");
    CHECK(cJSON_GetArraySize(ge) == cJSON_GetArraySize(we), "%d events, want %d", cJSON_GetArraySize(ge),
          cJSON_GetArraySize(we));
    for (int i = 0; i < cJSON_GetArraySize(ge) && i < cJSON_GetArraySize(we); i++) {
      const cJSON *g = cJSON_GetArrayItem(ge, i), *x = cJSON_GetArrayItem(we, i);
      CHECK(strcmp(str(g, "id"), str(x, "id")) == 0, "id %s, want %s", str(g, "id"), str(x, "id"));
      CHECK(strcmp(str(g, "type"), str(x, "type")) == 0, "type %s, want %s", str(g, "type"), str(x, "type"));
      CHECK(strcmp(str(g, "nik"), str(x, "nik")) == 0, "nik");
      CHECK(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(g, "changes"), cJSON_GetObjectItemCaseSensitive(x, "changes"),
                          1) || !cJSON_GetObjectItemCaseSensitive(x, "changes"),
            "changes");
    }
    const cJSON *ga = cJSON_GetObjectItemCaseSensitive(got, "anomalies");
    const cJSON *wa = cJSON_GetObjectItemCaseSensitive(c, "expected_anomalies");
    CHECK(cJSON_GetArraySize(ga) == cJSON_GetArraySize(wa), "anomalies");
    for (int i = 0; i < cJSON_GetArraySize(ga) && i < cJSON_GetArraySize(wa); i++) {
      const char *code = str(cJSON_GetArrayItem(ga, i), "code");
      CHECK(strcmp(code, cJSON_GetStringValue(cJSON_GetArrayItem(wa, i))) == 0, "anomaly %s", code);
      CHECK(status_of_name(code) >= 400 && status_of_name(code) < 500, "code %s in the events range", code);
    }
    cJSON_Delete(got);
    free(out);
    free(old);
    free(neu);
    case_end(str(c, "name"));
  }
  cJSON_Delete(v);
}

struct events_progress {
  int calls;
};

static void on_events_progress(void *user, uint32_t phase, uint64_t done, uint64_t total) {
  (void)phase;
  (void)done;
  (void)total;
  ((struct events_progress *)user)->calls++;
}

static void test_events_files(const char *tmp) {
  case_begin();
  char gen[1024], out[1024], pop[2048], later[2048], ev[2048], upd[2048], upd2[2048], log[2048], subs[2048];
  snprintf(gen, sizeof gen, "%s/ktpel_events_gen", tmp);
  snprintf(out, sizeof out, "%s/ktpel_events_out", tmp);
  snprintf(pop, sizeof pop, "%s/population.csv", gen);
  snprintf(later, sizeof later, "%s/population_later.csv", gen);
  snprintf(ev, sizeof ev, "%s/events.jsonl", out);
  snprintf(upd, sizeof upd, "%s/updated.csv", out);
  snprintf(upd2, sizeof upd2, "%s/updated2.csv", out);
  snprintf(log, sizeof log, "%s/log.csv", out);
  snprintf(subs, sizeof subs, "%s/subs.toml", gen);
  ktpel_sample_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.seed = 5;
  cfg.population = 2000;
  ktpel_sample_summary s;
  CHECK(ktpel_sample_write_all(&cfg, U(gen), strlen(gen), NULL, NULL, &s) == KTPEL_STATUS_OK, "sample");
  FILE *f = fopen(subs, "w");
  fprintf(f, "[[agency]]\nname = \"all\"\nelements = [\"*\"]\n\n[[agency]]\nname = \"status\"\nelements = "
             "[\"STATUS\"]\ntypes = [\"MATI\"]\n");
  fclose(f);
  ktpel_events_options o;
  memset(&o, 0, sizeof o);
  o.as_of_year = 2023;
  o.as_of_month = 11;
  o.as_of_day = 30;
  o.subscriptions_path.ptr = U(subs);
  o.subscriptions_path.len = strlen(subs);
  struct events_progress p = {0};
  ktpel_events_report *rep = NULL;
  uint32_t st = ktpel_events_diff(U(pop), strlen(pop), U(later), strlen(later), NULL, 0, U(out), strlen(out), &o,
                                  on_events_progress, &p, &rep);
  CHECK(st == KTPEL_STATUS_OK && rep, "diff %u: %s", st, last_error());
  char *j = report_json(rep);
  cJSON *sum = cJSON_Parse(j);
  long total = (long)num_at(sum, "events_total");
  CHECK(total > 0 && (uint64_t)total == s.changes, "events_total %ld, truth %llu", total,
        (unsigned long long)s.changes);
  CHECK(count_lines(ev) == total, "events.jsonl lines");
  const cJSON *ag = cJSON_GetObjectItemCaseSensitive(sum, "agencies");
  CHECK((long)num_at(ag, "all") == total, "agency all");
  CHECK(num_at(ag, "status") == num_at(cJSON_GetObjectItemCaseSensitive(sum, "events"), "MATI"), "agency status");
  CHECK(p.calls >= 1, "progress");
  cJSON_Delete(sum);
  free(j);
  ktpel_events_report_free(rep);
  /* apply twice: the second run changes nothing */
  st = ktpel_events_apply(U(pop), strlen(pop), U(ev), strlen(ev), U(upd), strlen(upd), U(log), strlen(log), &rep);
  CHECK(st == KTPEL_STATUS_OK, "apply %u: %s", st, last_error());
  j = report_json(rep);
  sum = cJSON_Parse(j);
  CHECK(num_at(sum, "values_changed") > 0, "values changed");
  cJSON_Delete(sum);
  free(j);
  ktpel_events_report_free(rep);
  st = ktpel_events_apply(U(upd), strlen(upd), U(ev), strlen(ev), U(upd2), strlen(upd2), U(log), strlen(log), &rep);
  j = report_json(rep);
  sum = cJSON_Parse(j);
  CHECK(st == KTPEL_STATUS_OK && num_at(sum, "values_changed") == 0, "idempotent apply");
  cJSON_Delete(sum);
  free(j);
  ktpel_events_report_free(rep);
  st = ktpel_events_aggregate(U(ev), strlen(ev), U("regency"), 7, U("year"), 4, NULL, 0, &rep);
  CHECK(st == KTPEL_STATUS_OK, "aggregate %u: %s", st, last_error());
  j = report_json(rep);
  sum = cJSON_Parse(j);
  CHECK((long)num_at(sum, "events") == total && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(sum, "rows")) > 0,
        "aggregate rows");
  cJSON_Delete(sum);
  free(j);
  ktpel_events_report_free(rep);
  st = ktpel_events_aggregate(U(ev), strlen(ev), U("planet"), 6, U("year"), 4, NULL, 0, &rep);
  CHECK(st == KTPEL_STATUS_INVALID_ARGUMENT, "bad level %u", st);
  st = ktpel_events_diff(U(pop), strlen(pop), U(gen), strlen(gen), NULL, 0, U(out), strlen(out), &o, NULL, NULL, &rep);
  CHECK(st == KTPEL_STATUS_IO, "directory as snapshot: %u", st);
  CHECK(ktpel_events_diff(NULL, 0, U(later), strlen(later), NULL, 0, U(out), strlen(out), NULL, NULL, NULL, &rep) ==
            KTPEL_STATUS_NULL_ARGUMENT,
        "NULL options");
  ktpel_events_report_free(NULL);
  case_end("events: diff with routing, apply twice, aggregate");
}

/* ---- privacy: tokens and the audit log (tests/vectors/privacy.json) ---- */

static void test_privacy_vectors(const char *dir, const char *tmp) {
  cJSON *v = load(dir, "privacy.json");
  const cJSON *tk = cJSON_GetObjectItemCaseSensitive(v, "token_key");
  size_t slen;
  uint8_t *secret = unhex(str(tk, "secret"), &slen);
  const char *kid = str(tk, "kid");
  ktpel_token_key *key = NULL, *jkey = NULL;
  uint8_t buf[64];
  size_t n = 0;
  uint32_t st;

  case_begin();
  st = ktpel_token_key_new(U(kid), strlen(kid), secret, slen, &key);
  CHECK(st == KTPEL_STATUS_OK, "token_key_new %u", st);
  const char *jwk = str(tk, "jwk");
  st = ktpel_token_key_from_jwk(U(jwk), strlen(jwk), &jkey);
  CHECK(st == KTPEL_STATUS_OK, "token_key_from_jwk %u", st);
  ktpel_token_key *bad = NULL;
  st = ktpel_token_key_new(U(kid), strlen(kid), secret, slen - 1, &bad);
  CHECK(st == KTPEL_STATUS_TOKEN_KEY_INVALID && bad == NULL, "31-byte secret: %u", st);
  case_end("privacy: token keys");

  const cJSON *c;
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(v, "nik_tokens")) {
    case_begin();
    const char *nik = str(c, "nik");
    st = ktpel_privacy_tokenize_nik(key, U(nik), strlen(nik), 2026, 1, 1, buf, sizeof buf, &n);
    CHECK(st == KTPEL_STATUS_OK && n == strlen(str(c, "token")) && memcmp(buf, str(c, "token"), n) == 0,
          "NIK token of %s: %u %.*s", nik, st, (int)n, buf);
    st = ktpel_privacy_tokenize_nik(jkey, U(nik), strlen(nik), 2026, 1, 1, buf, sizeof buf, &n);
    CHECK(st == KTPEL_STATUS_OK && memcmp(buf, str(c, "token"), n) == 0, "JWK key differs");
    st = ktpel_privacy_tokenize_nik(key, U(nik), strlen(nik), 2026, 1, 1, buf, 5, &n);
    CHECK(st == KTPEL_STATUS_BUFFER_TOO_SMALL && n == strlen(str(c, "token")), "small buffer %u %zu", st, n);
    case_end("privacy: NIK token vector");
  }
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(v, "nik_invalid")) {
    case_begin();
    const char *nik = str(c, "nik");
    st = ktpel_privacy_tokenize_nik(key, U(nik), strlen(nik), 2026, 1, 1, buf, sizeof buf, &n);
    CHECK(st == status_of_name(str(c, "code")), "invalid NIK %s: %u, want %s", nik, st, str(c, "code"));
    case_end("privacy: invalid NIK gets no token");
  }
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(v, "element_tokens")) {
    case_begin();
    const char *name = str(c, "name"), *d = str(c, "birth_date");
    int y = 0;
    unsigned m = 0, dd = 0;
    if (d) sscanf(d, "%d-%u-%u", &y, &m, &dd);
    st = ktpel_privacy_tokenize_element(key, U(name), strlen(name), y, m, dd, buf, sizeof buf, &n);
    CHECK(st == KTPEL_STATUS_OK && n == strlen(str(c, "token")) && memcmp(buf, str(c, "token"), n) == 0,
          "element token of %s: %u", name, st);
    case_end("privacy: element token vector");
  }

  /* Batch: same tokens as single calls, per-item statuses. */
  case_begin();
  {
    const cJSON *toks = cJSON_GetObjectItemCaseSensitive(v, "nik_tokens");
    const cJSON *bads = cJSON_GetObjectItemCaseSensitive(v, "nik_invalid");
    int nt = cJSON_GetArraySize(toks), nb = cJSON_GetArraySize(bads), total = nt + nb;
    ktpel_str *items = calloc((size_t)total, sizeof *items);
    uint8_t *out = malloc((size_t)total * KTPEL_TOKEN_SLOT);
    uint32_t *stat = malloc((size_t)total * sizeof *stat);
    for (int i = 0; i < total; i++) {
      const char *s = str(i < nt ? cJSON_GetArrayItem(toks, i) : cJSON_GetArrayItem(bads, i - nt), "nik");
      items[i].ptr = U(s);
      items[i].len = strlen(s);
    }
    st = ktpel_privacy_tokenize_batch(key, items, (size_t)total, 2026, 1, 1, out, stat);
    CHECK(st == KTPEL_STATUS_OK, "batch %u", st);
    for (int i = 0; i < nt; i++)
      CHECK(stat[i] == 0 && strcmp((char *)out + i * KTPEL_TOKEN_SLOT, str(cJSON_GetArrayItem(toks, i), "token")) == 0,
            "batch item %d", i);
    for (int i = 0; i < nb; i++)
      CHECK(stat[nt + i] == status_of_name(str(cJSON_GetArrayItem(bads, i), "code")) &&
                out[(nt + i) * KTPEL_TOKEN_SLOT] == 0,
            "batch invalid item %d: %u", i, stat[nt + i]);
    free(items);
    free(out);
    free(stat);
  }
  case_end("privacy: batch tokenization");

  /* Audit logs of the vectors: verdict, code and first bad entry. */
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(v, "audit");
  const char *pub = str(a, "checkpoint_public_jwk");
  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(a, "logs")) {
    case_begin();
    size_t ln, cn;
    uint8_t *log = unhex(str(c, "log"), &ln), *cps = unhex(str(c, "checkpoints"), &cn);
    int use_key = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "use_key"));
    ktpel_audit_result r;
    st = ktpel_audit_verify(log, ln, cps, cn, U(pub), use_key ? strlen(pub) : 0, &r);
    int want_valid = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "valid"));
    CHECK(st == KTPEL_STATUS_OK && r.valid == want_valid, "%s: status %u valid %u", str(c, "name"), st, r.valid);
    if (!want_valid) {
      CHECK(r.status == status_of_name(str(c, "code")), "%s: code %u want %s", str(c, "name"), r.status, str(c, "code"));
      const cJSON *e = cJSON_GetObjectItemCaseSensitive(c, "entry");
      long long want_e = cJSON_IsNumber(e) ? (long long)e->valuedouble : -1;
      CHECK(r.bad_entry == want_e, "%s: entry %lld want %lld", str(c, "name"), (long long)r.bad_entry, want_e);
    }
    free(log);
    free(cps);
    case_end(str(c, "name"));
  }

  /* A file log: append, checkpoint, prove, verify the proof, tear, recover. */
  case_begin();
  {
    char path[4096], cpath[4200];
    snprintf(path, sizeof path, "%s/ktpel_c_privacy_%d.log", tmp, (int)getpid());
    snprintf(cpath, sizeof cpath, "%s.checkpoints", path);
    remove(path);
    remove(cpath);
    ktpel_audit_log *lg = NULL;
    st = ktpel_audit_log_open(U(path), strlen(path), 0, &lg);
    CHECK(st == KTPEL_STATUS_OK, "open %u", st);
    uint64_t seq = 99;
    for (int i = 0; i < 5 && lg; i++) {
      ktpel_str who = {U("op-c"), 4}, sub = {buf, 0}, pur = {U("uji C"), 5}, res = {U("SESUAI"), 6};
      st = ktpel_audit_log_append(lg, who, sub, pur, res, &seq);
      CHECK(st == KTPEL_STATUS_OK && seq == (uint64_t)i, "append %u seq %llu", st, (unsigned long long)seq);
    }
    ktpel_str nobody = {NULL, 0}, pur = {U("x"), 1};
    st = ktpel_audit_log_append(lg, nobody, nobody, pur, nobody, &seq);
    CHECK(st == KTPEL_STATUS_AUDIT_INVALID_FIELD, "empty who: %u", st);
    /* Checkpoint with the RFC 6979 test key as a private JWK. */
    char sjwk[512];
    const cJSON *pj = cJSON_Parse(pub);
    snprintf(sjwk, sizeof sjwk,
             "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"%s\",\"x\":\"%s\",\"y\":\"%s\",\"d\":\"ya-p2EW6dRZrXCFXZ7HWk05Qw9s26JsSe4piKxIPZyE\"}",
             str(a, "checkpoint_kid"), str(pj, "x"), str(pj, "y"));
    char line[1024];
    st = ktpel_audit_log_checkpoint(lg, U(sjwk), strlen(sjwk), (uint8_t *)line, 10, &n);
    CHECK(st == KTPEL_STATUS_BUFFER_TOO_SMALL && n > 300, "checkpoint small buffer %u %zu", st, n);
    st = ktpel_audit_log_checkpoint(lg, U(sjwk), strlen(sjwk), (uint8_t *)line, sizeof line, &n);
    CHECK(st == KTPEL_STATUS_OK && n > 200 && memcmp(line, "{\"size\":5,", 10) == 0, "checkpoint %u: %s", st, last_error());
    ktpel_audit_log_free(lg);
    ktpel_audit_result r;
    st = ktpel_audit_verify_file(U(path), strlen(path), U(pub), strlen(pub), &r);
    CHECK(st == KTPEL_STATUS_OK && r.valid && r.entries == 5 && r.signed_size == 5, "verify_file %u %u", st, r.valid);
    char proof[8192];
    st = ktpel_audit_prove_file(U(path), strlen(path), 3, (uint8_t *)proof, sizeof proof, &n);
    CHECK(st == KTPEL_STATUS_OK, "prove %u", st);
    uint64_t idx = 0;
    st = ktpel_audit_verify_proof((uint8_t *)proof, n, U(pub), strlen(pub), &idx);
    CHECK(st == KTPEL_STATUS_OK && idx == 3, "verify_proof %u %llu", st, (unsigned long long)idx);
    proof[20] ^= 1;
    st = ktpel_audit_verify_proof((uint8_t *)proof, n, U(pub), strlen(pub), &idx);
    CHECK(st != KTPEL_STATUS_OK, "tampered proof accepted");
    /* Tear the last entry as a crash would. */
    FILE *f = fopen(path, "ab");
    fputs("{\"seq\":5,\"time\":1", f);
    fclose(f);
    st = ktpel_audit_verify_file(U(path), strlen(path), NULL, 0, &r);
    CHECK(st == KTPEL_STATUS_OK && !r.valid && r.status == KTPEL_STATUS_AUDIT_TRUNCATED_TAIL && r.bad_entry == 5,
          "torn tail: %u %lld", r.status, (long long)r.bad_entry);
    st = ktpel_audit_log_open(U(path), strlen(path), 1, &lg);
    CHECK(st == KTPEL_STATUS_AUDIT_TRUNCATED_TAIL, "open of torn log: %u", st);
    uint64_t kept = 0, removed = 0;
    st = ktpel_audit_recover(U(path), strlen(path), &kept, &removed);
    CHECK(st == KTPEL_STATUS_OK && kept == 5 && removed == 17, "recover %u %llu %llu", st,
          (unsigned long long)kept, (unsigned long long)removed);
    cJSON_Delete((cJSON *)pj);
    remove(path);
    remove(cpath);
  }
  case_end("privacy: audit log file round trip");

  ktpel_token_key_free(key);
  ktpel_token_key_free(jkey);
  ktpel_token_key_free(NULL);
  free(secret);
  cJSON_Delete(v);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s VECTORS_DIR [TMP_DIR]\n", argv[0]);
    return 2;
  }
  const char *dir = argv[1];
  const char *tmp = argc > 2 ? argv[2] : "/tmp";
  test_nik_vectors(dir);
  test_kk_vectors(dir);
  test_big_batch();
  cJSON *sam = load(dir, "sam.json");
  test_sha256(sam);
  test_tdes(sam);
  test_sessions(sam);
  test_icao_appendix_d(sam);
  cJSON_Delete(sam);
  test_qr_vectors(dir);
  test_chip();
  test_apdu();
  test_ecdsa();
  test_region();
  test_validate(tmp);
  test_name_vectors(dir);
  test_name_pairs(dir);
  test_name_block();
  test_name_scorer_threads();
  test_sample(tmp);
  test_match_vectors(dir);
  test_match_batch(tmp);
  test_match_dedupe(tmp);
  test_events_vectors(dir);
  test_events_files(tmp);
  test_privacy_vectors(dir, tmp);
  test_conventions();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
