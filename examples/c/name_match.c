/* Names through the C API: normalize (titles removed and listed), check
 * (placeholders, newborn placeholders with the mother's name), similarity
 * with its components, and one query scored against a block of candidates.
 * Usage: name_match [QUERY CANDIDATE...] */
#include <stdio.h>
#include <string.h>

#include "ktpel.h"

#define S(x) (const uint8_t *)(x), strlen(x)

static void show(const char *name) {
  char buf[1024];
  size_t n = 0;
  /* Size query first (capacity 0), then the real call: the caller-buffer rule. */
  size_t need = 0;
  if (ktpel_name_normalize_json(S(name), NULL, 0, &need) != KTPEL_STATUS_BUFFER_TOO_SMALL && need != 0) return;
  if (need > sizeof buf || ktpel_name_normalize_json(S(name), (uint8_t *)buf, sizeof buf, &n) != KTPEL_STATUS_OK)
    return;
  ktpel_name_check_result c;
  ktpel_name_check(S(name), &c);
  char code[64] = "clean", mother[256];
  size_t cn = 0, mn = 0;
  if (c.code != KTPEL_STATUS_OK && ktpel_status_name(c.code, (uint8_t *)code, sizeof code - 1, &cn) == KTPEL_STATUS_OK)
    code[cn] = 0;
  printf("%-28s %.*s\n  check: %s%s", name, (int)n, buf, code,
         c.severity == KTPEL_NAME_SEVERITY_WARNING ? " (warning)" : "");
  if (c.has_mother && ktpel_name_check_mother(S(name), (uint8_t *)mother, sizeof mother, &mn) == KTPEL_STATUS_OK)
    printf(", mother %.*s", (int)mn, mother);
  printf("\n");
}

static void block(const char *query, int count, char **candidates) {
  ktpel_name_scorer *q = NULL;
  if (ktpel_name_scorer_new(S(query), &q) != KTPEL_STATUS_OK) return;
  ktpel_str items[64];
  double full[64];
  if (count > 64) count = 64;
  for (int i = 0; i < count; i++) {
    items[i].ptr = (const uint8_t *)candidates[i];
    items[i].len = strlen(candidates[i]);
  }
  if (ktpel_name_scorer_similarity(q, items, (size_t)count, full) == KTPEL_STATUS_OK) {
    for (int i = 0; i < count; i++) {
      ktpel_name_scores s;
      ktpel_name_similarity_scores(S(query), S(candidates[i]), &s);
      printf("%-16s ~ %-22s %.3f  (token %.3f, jw %.3f, lev %.3f)  %s\n", query, candidates[i], full[i], s.token,
             s.jaro_winkler, s.levenshtein, full[i] >= KTPEL_NAME_DEFAULT_THRESHOLD ? "same" : "different");
    }
  }
  ktpel_name_scorer_free(q);
}

int main(int argc, char **argv) {
  if (argc > 2) {
    block(argv[1], argc - 2, argv + 2);
    return 0;
  }
  const char *names[] = {"Hj. Siti Aminah, S.Pd.", "Dr. H. M. Arief, S.H., M.Kn.", "BAYI NY. SITI AMINAH", "XXX",
                         "SUKARNO"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) show(names[i]);
  char *cands[] = {"MUHAMMAD ARIF", "ARIF MUHAMAD", "MOCHAMAD ARIEF HIDAYAT", "SITI AMINAH", "M. RIZAL"};
  block("MOCH. ARIEF", 5, cands);
  return 0;
}
