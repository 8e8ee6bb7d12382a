/* Generates a deterministic sample data set (register, agency file with
 * labelled corruption, later snapshot, truth files) with a progress line.
 * Usage: sample_gen OUT_DIR [POPULATION [SEED]] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktpel.h"

static void on_progress(void *user, uint64_t rows) {
  const uint64_t *total = user;
  fprintf(stderr, "\r%llu / %llu register rows", (unsigned long long)rows, (unsigned long long)*total);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s OUT_DIR [POPULATION [SEED]]\n", argv[0]);
    return 2;
  }
  ktpel_sample_config cfg;
  memset(&cfg, 0, sizeof cfg); /* all zero: the defaults of `ktpel gen` */
  cfg.population = argc > 2 ? strtoull(argv[2], NULL, 10) : 10000;
  cfg.seed = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
  ktpel_sample_summary s;
  uint32_t st = ktpel_sample_write_all(&cfg, (const uint8_t *)argv[1], strlen(argv[1]), on_progress,
                                       &cfg.population, &s);
  fprintf(stderr, "\n");
  if (st != KTPEL_STATUS_OK) {
    char msg[512];
    size_t n = 0;
    ktpel_last_error_message((uint8_t *)msg, sizeof msg, &n);
    fprintf(stderr, "error %u: %.*s\n", st, (int)n, msg);
    return 1;
  }
  printf("population.csv        %llu rows\n", (unsigned long long)s.register_rows);
  printf("population_later.csv  %llu rows\n", (unsigned long long)s.later_rows);
  printf("agency.csv            %llu rows (%llu clean)\n", (unsigned long long)s.agency_rows,
         (unsigned long long)s.agency_clean);
  printf("truth_changes.csv     %llu changes:", (unsigned long long)s.changes);
  for (size_t i = 0; i < KTPEL_SAMPLE_CHANGE_KINDS; i++) {
    char kind[32];
    size_t n = 0;
    if (ktpel_sample_change_kind_name(i, (uint8_t *)kind, sizeof kind, &n) == KTPEL_STATUS_OK)
      printf(" %.*s %llu", (int)n, kind, (unsigned long long)s.changes_by_kind[i]);
  }
  printf("\n");
  return 0;
}
