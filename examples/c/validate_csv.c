/* Validates the NIK (or KK) column of a CSV file into another file, with a
 * progress callback, and prints the JSON summary.
 * Usage: validate_csv INPUT.csv OUTPUT.csv COLUMN [nik|kk] */
#include <stdio.h>
#include <string.h>

#include "ktpel.h"

static void progress(void *user, uint64_t rows, uint64_t bytes) {
  (void)user;
  fprintf(stderr, "\r%llu rows, %llu bytes", (unsigned long long)rows, (unsigned long long)bytes);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s INPUT.csv OUTPUT.csv COLUMN [nik|kk]\n", argv[0]);
    return 2;
  }
  ktpel_validate_options opts;
  memset(&opts, 0, sizeof opts); /* NIK, CSV out, comma, strict, today */
  opts.column.ptr = (const uint8_t *)argv[3];
  opts.column.len = strlen(argv[3]);
  if (argc > 4 && strcmp(argv[4], "kk") == 0) opts.kind = KTPEL_KIND_KK;
  ktpel_validate_report *report = NULL;
  uint32_t st = ktpel_validate_csv((const uint8_t *)argv[1], strlen(argv[1]), (const uint8_t *)argv[2],
                                   strlen(argv[2]), &opts, progress, NULL, &report);
  fprintf(stderr, "\n");
  if (st != KTPEL_STATUS_OK) {
    char msg[512];
    size_t n = 0;
    ktpel_last_error_message((uint8_t *)msg, sizeof msg, &n);
    fprintf(stderr, "validation failed (status %u): %.*s\n", st, (int)n, msg);
    return 1;
  }
  ktpel_validate_counts c;
  ktpel_validate_report_counts(report, &c);
  printf("rows %llu, valid %llu, invalid %llu\n", (unsigned long long)c.rows, (unsigned long long)c.valid,
         (unsigned long long)c.invalid);
  /* Ask for the size first, then read the JSON. */
  size_t need = 0;
  ktpel_validate_report_json(report, NULL, 0, &need);
  char json[8192];
  size_t n = 0;
  if (need <= sizeof json && ktpel_validate_report_json(report, (uint8_t *)json, sizeof json, &n) == KTPEL_STATUS_OK)
    printf("%.*s\n", (int)n, json);
  ktpel_validate_report_free(report);
  return 0;
}
