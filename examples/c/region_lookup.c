/* Looks up Kemendagri region codes: name, level, status (with successor for
 * historic codes), number of children and the BPS code.
 * Usage: region_lookup [CODE...] */
#include <stdio.h>
#include <string.h>

#include "ktpel.h"

static void lookup(const char *code) {
  ktpel_region r;
  uint32_t st = ktpel_region_lookup((const uint8_t *)code, strlen(code), &r);
  if (st != KTPEL_STATUS_OK) {
    char msg[256];
    size_t n = 0;
    ktpel_last_error_message((uint8_t *)msg, sizeof msg, &n);
    printf("%-14s error %u: %.*s\n", code, st, (int)n, msg);
    return;
  }
  char name[128], bps[16];
  size_t nn = 0, nb = 0, kids = 0;
  ktpel_region_name((const uint8_t *)code, strlen(code), (uint8_t *)name, sizeof name, &nn);
  /* Size query: capacity 0 reports the number of children. */
  st = ktpel_region_children((const uint8_t *)code, strlen(code), NULL, 0, &kids);
  if (st != KTPEL_STATUS_OK && st != KTPEL_STATUS_BUFFER_TOO_SMALL) kids = 0;
  printf("%-14s %.*s, level %u, %s", code, (int)nn, name, r.level,
         r.status == KTPEL_REGION_CURRENT ? "current" : "historic");
  if (r.successor) printf(" (now %llu)", (unsigned long long)r.successor);
  printf(", %zu children", kids);
  if (ktpel_region_to_bps((const uint8_t *)code, strlen(code), (uint8_t *)bps, sizeof bps, &nb) == KTPEL_STATUS_OK)
    printf(", BPS %.*s", (int)nb, bps);
  printf("\n");
}

int main(int argc, char **argv) {
  const char *defaults[] = {"31", "31.74", "31.74.01", "317401", "31.74.01.1001", "31.70", "91.01"};
  if (argc > 1) {
    for (int i = 1; i < argc; i++) lookup(argv[i]);
  } else {
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) lookup(defaults[i]);
  }
  return 0;
}
