/* NIK tokens and the access log from C.
 *
 *   privacy_tokens [LOG]
 *
 * Tokenizes a few NIKs under a demo key (batch and single), writes one
 * audit entry per token to LOG (default ./akses.log), then verifies the log.
 * The demo key is for illustration only: real keys come from
 * `ktpel privacy keygen` and are loaded with ktpel_token_key_from_jwk.
 */
#include <stdio.h>
#include <string.h>

#include "ktpel.h"

static void die(uint32_t st, const char *what) {
  char msg[512];
  size_t n = 0;
  ktpel_last_error_message((uint8_t *)msg, sizeof msg, &n);
  fprintf(stderr, "%s failed (status %u): %.*s\n", what, st, (int)n, msg);
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "akses.log";
  uint8_t secret[32];
  for (int i = 0; i < 32; i++) secret[i] = (uint8_t)(0x40 + i);
  ktpel_token_key *key = NULL;
  uint32_t st = ktpel_token_key_new((const uint8_t *)"DEMO", 4, secret, sizeof secret, &key);
  if (st) return die(st, "ktpel_token_key_new"), 1;

  const char *niks[] = {"3174015708900123", "3174011708900123", "317401570890012", "3.17401E+15"};
  enum { N = sizeof niks / sizeof niks[0] };
  ktpel_str items[N];
  for (int i = 0; i < N; i++) items[i] = (ktpel_str){(const uint8_t *)niks[i], strlen(niks[i])};
  uint8_t tokens[N * KTPEL_TOKEN_SLOT];
  uint32_t status[N];
  st = ktpel_privacy_tokenize_batch(key, items, N, 0, 0, 0, tokens, status);
  if (st) return die(st, "ktpel_privacy_tokenize_batch"), 1;

  ktpel_audit_log *log = NULL;
  st = ktpel_audit_log_open((const uint8_t *)path, strlen(path), 0, &log);
  if (st) return die(st, "ktpel_audit_log_open"), 1;
  for (int i = 0; i < N; i++) {
    char name[64];
    size_t nn = 0;
    ktpel_status_name(status[i], (uint8_t *)name, sizeof name, &nn);
    const char *tok = (const char *)tokens + i * KTPEL_TOKEN_SLOT;
    printf("%-18s %s\n", niks[i], status[i] == KTPEL_STATUS_OK ? tok : "(no token)");
    if (status[i] != KTPEL_STATUS_OK) printf("%-18s   %.*s\n", "", (int)nn, name);
    ktpel_str who = {(const uint8_t *)"example-c", 9}, subject = {(const uint8_t *)tok, strlen(tok)},
              purpose = {(const uint8_t *)"contoh", 6}, result = {(const uint8_t *)name, nn};
    uint64_t seq;
    st = ktpel_audit_log_append(log, who, subject, purpose, result, &seq);
    if (st) return die(st, "ktpel_audit_log_append"), 1;
  }
  ktpel_audit_log_free(log); /* syncs */

  uint8_t el[KTPEL_TOKEN_MAX];
  size_t n = 0;
  st = ktpel_privacy_tokenize_element(key, (const uint8_t *)"HJ. SITI AMINAH", 15, 1990, 8, 17, el, sizeof el, &n);
  if (st) return die(st, "ktpel_privacy_tokenize_element"), 1;
  printf("element token of HJ. SITI AMINAH, 17-08-1990: %.*s\n", (int)n, el);

  ktpel_audit_result r;
  st = ktpel_audit_verify_file((const uint8_t *)path, strlen(path), NULL, 0, &r);
  if (st) return die(st, "ktpel_audit_verify_file"), 1;
  printf("log %s: %s, %llu entries\n", path, r.valid ? "intact" : "DAMAGED", (unsigned long long)r.entries);
  ktpel_token_key_free(key);
  return r.valid ? 0 : 1;
}
