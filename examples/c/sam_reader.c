/* A KTP-el reader vendor's flow: the application owns the transport (here a
 * function that hands APDUs to the virtual chip; with a real reader it would
 * call SCardTransmit). ktpel only turns bytes into bytes:
 *   1. mutual authentication step by step (GET CHALLENGE, MUTUAL AUTHENTICATE),
 *   2. secure messaging: SELECT + READ BINARY of the biodata file,
 *   3. a whole verified read (signed hashes + chip authentication) of a genuine
 *      chip and of a clone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktpel.h"

static ktpel_sam_chip *chip; /* the "card" */
static uint8_t resp[KTPEL_SAM_RESPONSE_MAX];

/* The vendor's transport: send a command, get the answer. */
static size_t transmit(const uint8_t *cmd, size_t len) {
  size_t n = 0;
  if (ktpel_sam_chip_process(chip, cmd, len, resp, sizeof resp, &n) != KTPEL_STATUS_OK) exit(1);
  return n;
}

static uint32_t transmit_cb(void *user, const uint8_t *cmd, size_t len, uint8_t *out, size_t cap, size_t *written) {
  return ktpel_sam_chip_process((ktpel_sam_chip *)user, cmd, len, out, cap, written);
}

static int fail(const char *what, uint32_t st) {
  char msg[256];
  size_t n = 0;
  ktpel_last_error_message((uint8_t *)msg, sizeof msg, &n);
  fprintf(stderr, "%s failed (status %u): %.*s\n", what, st, (int)n, msg);
  return 1;
}

int main(void) {
  uint8_t seed[16], rnd_ifd[8], k_ifd[16], cmd[300], plain[300];
  size_t n = 0;
  uint32_t st;
  memset(seed, 0x42, sizeof seed); /* the card's key seed (demo) */
  if ((st = ktpel_sam_chip_new_demo(KTPEL_SAM_PROFILE_KTPEL, seed, sizeof seed, 7, &chip))) return fail("chip", st);

  ktpel_sam_keys *keys = NULL;
  if ((st = ktpel_sam_keys_from_seed(KTPEL_SAM_PROFILE_KTPEL, seed, sizeof seed, &keys))) return fail("keys", st);
  ktpel_sam_random(rnd_ifd, sizeof rnd_ifd);
  ktpel_sam_random(k_ifd, sizeof k_ifd);

  /* 1. Mutual authentication. */
  ktpel_sam_auth *auth = NULL;
  ktpel_sam_sm *sm = NULL;
  if ((st = ktpel_sam_auth_new(keys, rnd_ifd, sizeof rnd_ifd, k_ifd, sizeof k_ifd, &auth))) return fail("auth", st);
  if ((st = ktpel_sam_auth_get_challenge(auth, cmd, sizeof cmd, &n))) return fail("get_challenge", st);
  size_t r = transmit(cmd, n);
  if ((st = ktpel_sam_auth_on_challenge(auth, resp, r, cmd, sizeof cmd, &n))) return fail("on_challenge", st);
  r = transmit(cmd, n);
  if ((st = ktpel_sam_auth_on_authenticate(auth, resp, r, &sm))) return fail("on_authenticate", st);
  ktpel_sam_auth_free(auth);
  uint64_t ssc = 0;
  ktpel_sam_sm_ssc(sm, &ssc);
  printf("mutual authentication ok, SSC %016llX\n", (unsigned long long)ssc);

  /* 2. SELECT 0101 and READ BINARY through secure messaging. */
  const uint8_t select[] = {0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x01};
  const uint8_t read[] = {0x00, 0xB0, 0x00, 0x00, 0x40};
  const uint8_t *steps[] = {select, read};
  size_t lens[] = {sizeof select, sizeof read};
  for (int i = 0; i < 2; i++) {
    if ((st = ktpel_sam_sm_protect(sm, steps[i], lens[i], cmd, sizeof cmd, &n))) return fail("protect", st);
    r = transmit(cmd, n);
    if ((st = ktpel_sam_sm_unprotect(sm, resp, r, plain, sizeof plain, &n))) return fail("unprotect", st);
  }
  printf("biodata (first %zu bytes): %.*s\n", n - 2, (int)(n - 2), plain);
  ktpel_sam_sm_free(sm);

  /* 3. Verified read: signed file hashes + chip authentication (anti-cloning). */
  uint8_t issuer[65], challenge[KTPEL_SAM_CHALLENGE_LEN];
  size_t il = 0;
  const char *kid = "KTPEL-DEMO-DS-01";
  ktpel_sam_chip_issuer_public_key(chip, issuer, sizeof issuer, &il);
  ktpel_sam_random(challenge, sizeof challenge);
  ktpel_sam_document *doc = NULL;
  st = ktpel_sam_read_document(transmit_cb, chip, keys, (const uint8_t *)kid, strlen(kid), issuer, il, challenge,
                               sizeof challenge, &doc);
  if (st) return fail("read_document", st);
  size_t photo = 0;
  ktpel_sam_document_file(doc, 0x0102, NULL, 0, &photo); /* size query */
  printf("genuine chip: signed data and chip key verified, photo %zu bytes\n", photo);
  ktpel_sam_document_free(doc);

  ktpel_sam_chip *clone = NULL;
  ktpel_sam_chip_new_clone(chip, 99, &clone);
  st = ktpel_sam_read_document(transmit_cb, clone, keys, (const uint8_t *)kid, strlen(kid), issuer, il, challenge,
                               sizeof challenge, &doc);
  char name[64];
  ktpel_status_name(st, (uint8_t *)name, sizeof name, &n);
  printf("cloned chip: %.*s\n", (int)n, name);
  ktpel_sam_chip_free(clone);
  ktpel_sam_chip_free(chip);
  ktpel_sam_keys_free(keys);
  return st == KTPEL_STATUS_SAM_CHIP_AUTH_FAILED ? 0 : 1;
}
