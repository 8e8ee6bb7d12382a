/* Checks NIKs one by one and in one batch call, printing the verdict, the
 * decoded fields, warnings and the district name.
 * Usage: nik_check [NIK...] */
#include <stdio.h>
#include <string.h>

#include "ktpel.h"

static void print_status_name(uint32_t status) {
  char name[64];
  size_t n = 0;
  if (ktpel_status_name(status, (uint8_t *)name, sizeof name, &n) == KTPEL_STATUS_OK) printf("%.*s", (int)n, name);
}

static void show(const char *input, const ktpel_nik_result *r) {
  printf("%-20s ", input);
  if (r->valid) {
    printf("valid   ");
  } else {
    printf("INVALID ");
    print_status_name(r->code);
    char msg[256];
    size_t n = 0;
    if (ktpel_error_message(r->code, (uint8_t *)msg, sizeof msg, &n) == KTPEL_STATUS_OK) printf(" (%.*s)", (int)n, msg);
  }
  if (r->birth_year) {
    printf(" born %04d-%02u-%02u", r->birth_year, r->birth_month, r->birth_day);
  }
  if (r->sex != KTPEL_SEX_UNKNOWN) printf(" sex %c", r->sex == KTPEL_SEX_FEMALE ? 'P' : 'L');
  if (r->digits_read) {
    char district[128];
    size_t n = 0;
    printf(" district %06u", r->district_code);
    if (ktpel_region_district_name(r->district_code, (uint8_t *)district, sizeof district, &n) == KTPEL_STATUS_OK)
      printf(" (%.*s)", (int)n, district);
    printf(" serial %04u", r->serial);
  }
  for (uint32_t bit = 0; bit < 32; bit++) {
    if (r->warnings & (1u << bit)) {
      printf(" warning ");
      print_status_name(150 + bit); /* KTPEL_WARNING_X == 1 << (KTPEL_STATUS_X - 150) */
    }
  }
  printf("\n");
}

int main(int argc, char **argv) {
  const char *defaults[] = {"3174015708900123", "3174 0157 0890 0123", "3.17401E+15", "3174019999900123", "3273011506100001"};
  const char **inputs = argc > 1 ? (const char **)argv + 1 : defaults;
  size_t count = argc > 1 ? (size_t)argc - 1 : sizeof defaults / sizeof defaults[0];

  /* Lenient mode: separators are removed (with a warning). Reference date
   * fixed so the output does not change with the calendar. */
  ktpel_check_options opts = {KTPEL_MODE_LENIENT, 2026, 11, 23, 0};
  for (size_t i = 0; i < count; i++) {
    ktpel_nik_result r;
    uint32_t st = ktpel_nik_check((const uint8_t *)inputs[i], strlen(inputs[i]), &opts, &r);
    if (st != KTPEL_STATUS_OK) {
      fprintf(stderr, "ktpel_nik_check failed: %u\n", st);
      return 1;
    }
    show(inputs[i], &r);
  }

  /* The same inputs in one call. */
  ktpel_str items[64];
  ktpel_nik_result results[64];
  size_t n = count < 64 ? count : 64, valid = 0;
  for (size_t i = 0; i < n; i++) {
    items[i].ptr = (const uint8_t *)inputs[i];
    items[i].len = strlen(inputs[i]);
  }
  if (ktpel_nik_check_batch(items, n, &opts, results, &valid) != KTPEL_STATUS_OK) return 1;
  printf("batch: %zu of %zu valid\n", valid, n);
  return 0;
}
