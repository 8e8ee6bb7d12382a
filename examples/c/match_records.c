/* Record matching (pemadanan) through the C API: one submitted record
 * verified against its register record with the default policy (JSON out),
 * then the batch job, file to file, with a progress line and the summary.
 * Usage: match_records [AGENCY.csv POPULATION.csv OUT_DIR] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktpel.h"

#define F(k, v) {{(const uint8_t *)(k), sizeof(k) - 1}, {(const uint8_t *)(v), sizeof(v) - 1}}

static void error(uint32_t st) {
  char msg[512];
  size_t n = 0;
  ktpel_last_error_message((uint8_t *)msg, sizeof msg, &n);
  fprintf(stderr, "error %u: %.*s\n", st, (int)n, msg);
}

static void on_progress(void *user, uint32_t phase, uint32_t pass, uint32_t passes, uint64_t bytes, uint64_t total) {
  (void)user;
  static const char *names[] = {"population", "agency", "merge"};
  fprintf(stderr, "\rpass %u/%u %-10s %3.0f %%", pass + 1, passes, phase < 3 ? names[phase] : "?",
          total ? 100.0 * (double)bytes / (double)total : 100.0);
}

int main(int argc, char **argv) {
  if (argc == 4) {
    ktpel_match_options o;
    memset(&o, 0, sizeof o); /* default policy, Dukcapil columns, today */
    ktpel_match_report *rep = NULL;
    uint32_t st = ktpel_match_run_batch((const uint8_t *)argv[1], strlen(argv[1]), (const uint8_t *)argv[2],
                                        strlen(argv[2]), (const uint8_t *)argv[3], strlen(argv[3]), &o, on_progress,
                                        NULL, &rep);
    fprintf(stderr, "\n");
    if (st != KTPEL_STATUS_OK) {
      error(st);
      return 1;
    }
    ktpel_match_counts c;
    ktpel_match_report_counts(rep, &c);
    printf("received %llu: matched %llu (deceased %llu), not matching %llu, NIK not found %llu, anomalies %llu, "
           "duplicates %llu\n",
           (unsigned long long)c.received, (unsigned long long)c.matched, (unsigned long long)c.matched_deceased,
           (unsigned long long)c.unmatched, (unsigned long long)c.nik_not_found, (unsigned long long)c.anomaly,
           (unsigned long long)c.duplicate);
    ktpel_match_report_free(rep);
    return 0;
  }
  ktpel_field submitted[] = {F("NIK", "3174015708900123"), F("NAMA_LGKP", "Hj. Siti Aminah, S.Pd."),
                             F("TGL_LHR", "08-17-1990"), F("JENIS_KLMIN", "P")};
  ktpel_field reference[] = {F("NIK", "3174015708900123"), F("NAMA_LGKP", "SITI AMINAH"),
                             F("TGL_LHR", "17-08-1990"), F("JENIS_KLMIN", "PEREMPUAN"), F("STATUS", "HIDUP")};
  char buf[4096];
  size_t n = 0;
  uint32_t st = ktpel_match_verify(submitted, 4, reference, 5, NULL, 0, (uint8_t *)buf, sizeof buf, &n);
  if (st != KTPEL_STATUS_OK) {
    error(st);
    return 1;
  }
  printf("verify: %.*s\n", (int)n, buf);
  st = ktpel_match_verify(submitted, 4, NULL, 0, NULL, 0, (uint8_t *)buf, sizeof buf, &n);
  if (st == KTPEL_STATUS_OK) printf("verify without a register record: %.*s\n", (int)n, buf);
  return 0;
}
