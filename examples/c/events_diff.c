/* Change events through the C API: two small register snapshots diffed in
 * memory (JSON out), or, with arguments, the file-to-file diff with a
 * progress line and the summary.
 * Usage: events_diff [OLD.csv NEW.csv OUT_DIR YYYY-MM-DD] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktpel.h"

static void error(uint32_t st) {
  char msg[512];
  size_t n = 0;
  ktpel_last_error_message((uint8_t *)msg, sizeof msg, &n);
  fprintf(stderr, "error %u: %.*s\n", st, (int)n, msg);
}

static void on_progress(void *user, uint32_t phase, uint64_t done, uint64_t total) {
  (void)user;
  static const char *names[] = {"scan", "merge", "partition", "diff"};
  fprintf(stderr, "\r%-10s %3.0f %%", phase < 4 ? names[phase] : "?", total ? 100.0 * (double)done / (double)total : 100.0);
}

int main(int argc, char **argv) {
  ktpel_events_options o;
  memset(&o, 0, sizeof o); /* since = derived from the old snapshot, 2 GiB budget, no subscriptions */
  if (argc == 5) {
    if (sscanf(argv[4], "%d-%u-%u", &o.as_of_year, &o.as_of_month, &o.as_of_day) != 3) return 2;
    ktpel_events_report *rep = NULL;
    uint32_t st = ktpel_events_diff((const uint8_t *)argv[1], strlen(argv[1]), (const uint8_t *)argv[2],
                                    strlen(argv[2]), NULL, 0, (const uint8_t *)argv[3], strlen(argv[3]), &o,
                                    on_progress, NULL, &rep);
    fprintf(stderr, "\n");
    if (st != KTPEL_STATUS_OK) {
      error(st);
      return 1;
    }
    size_t need = 0;
    ktpel_events_report_json(rep, NULL, 0, &need);
    char *json = malloc(need);
    ktpel_events_report_json(rep, (uint8_t *)json, need, &need);
    printf("%.*s\n", (int)need, json);
    free(json);
    ktpel_events_report_free(rep);
    return 0;
  }
  const char *old = "NIK,NO_KK,NAMA_LGKP,TGL_LHR,STAT_KWN,STATUS\n"
                    "3202346509900001,3202341001150001,SITI AMINAH,25-09-1990,BELUM KAWIN,HIDUP\n"
                    "3202342709680001,3202341001150002,KOKO KURNIA,27-09-1968,KAWIN,HIDUP\n";
  const char *neu = "NIK,NO_KK,NAMA_LGKP,TGL_LHR,STAT_KWN,STATUS\n"
                    "3202346509900001,3202341001150001,SITI AMINAH,25-09-1990,KAWIN,HIDUP\n"
                    "3202342709680001,3202341001150002,KOKO KURNIA,27-09-1968,KAWIN,MATI\n";
  o.as_of_year = 2023;
  o.as_of_month = 11;
  o.as_of_day = 30;
  o.since_year = 2022;
  o.since_month = 11;
  o.since_day = 30;
  char buf[8192];
  size_t n = 0;
  uint32_t st = ktpel_events_diff_csv((const uint8_t *)old, strlen(old), (const uint8_t *)neu, strlen(neu), &o,
                                      (uint8_t *)buf, sizeof buf, &n);
  if (st != KTPEL_STATUS_OK) {
    error(st);
    return 1;
  }
  printf("%.*s\n", (int)n, buf);
  return 0;
}
