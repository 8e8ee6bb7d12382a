/* The C side of bench/ffi/run.sh: reads the NIKs bench_nik_rust wrote and
 * times the C API on them: ktpel_nik_check called once per NIK (the
 * per-call cost, one thread) and ktpel_nik_check_batch over all of them (one
 * crossing, all cores). Prints best-of-5 rates.
 * Usage: bench_ffi FILE */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ktpel.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 2;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = malloc((size_t)size);
  if (fread(text, 1, (size_t)size, f) != (size_t)size) return 2;
  fclose(f);
  size_t n = 0;
  for (long i = 0; i < size; i++) n += text[i] == '\n';
  ktpel_str *items = malloc(n * sizeof *items);
  size_t k = 0;
  char *p = text;
  for (long i = 0; i < size; i++) {
    if (text[i] == '\n') {
      items[k].ptr = (const uint8_t *)p;
      items[k].len = (size_t)(text + i - p);
      k++;
      p = text + i + 1;
    }
  }
  ktpel_nik_result *res = malloc(n * sizeof *res);
  ktpel_check_options opts = {KTPEL_MODE_STRICT, 2026, 11, 23, 0};

  double best1 = 1e9, bestb = 1e9;
  size_t valid1 = 0, validb = 0;
  for (int run = 0; run < 5; run++) {
    double t = now();
    size_t v = 0;
    for (size_t i = 0; i < n; i++) {
      ktpel_nik_result r;
      ktpel_nik_check(items[i].ptr, items[i].len, &opts, &r);
      v += r.valid;
    }
    t = now() - t;
    if (t < best1) best1 = t;
    valid1 = v;
  }
  for (int run = 0; run < 5; run++) {
    double t = now();
    if (ktpel_nik_check_batch(items, n, &opts, res, &validb) != KTPEL_STATUS_OK) return 1;
    t = now() - t;
    if (t < bestb) bestb = t;
  }
  if (valid1 != validb) {
    fprintf(stderr, "single and batch disagree: %zu vs %zu\n", valid1, validb);
    return 1;
  }
  printf("C ktpel_nik_check loop, 1 thread:  %8.2f M NIKs/s  %6.1f ns/NIK  (%zu valid of %zu)\n", n / best1 / 1e6,
         best1 * 1e9 / n, valid1, n);
  printf("C ktpel_nik_check_batch, all cores: %7.2f M NIKs/s  %6.1f ns/NIK\n", n / bestb / 1e6, bestb * 1e9 / n);
  free(res);
  free(items);
  free(text);
  return 0;
}
