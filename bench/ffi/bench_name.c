/* The C side of bench/ffi/run_name.sh: reads the name pairs bench_name_rust
 * wrote ("A\tB\n") and times ktpel_name_similarity once per pair (one thread)
 * and ktpel_name_similarity_batch over all of them (one crossing, all
 * cores). Prints best-of-3 rates and the sum of the scores (equal to Rust's).
 * Usage: bench_name FILE */
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
  ktpel_str *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
  size_t k = 0;
  char *p = text;
  for (long i = 0; i < size; i++) {
    if (text[i] == '\t') {
      a[k].ptr = (const uint8_t *)p;
      a[k].len = (size_t)(text + i - p);
      p = text + i + 1;
    } else if (text[i] == '\n') {
      b[k].ptr = (const uint8_t *)p;
      b[k].len = (size_t)(text + i - p);
      k++;
      p = text + i + 1;
    }
  }
  double *out = malloc(n * sizeof *out);
  double best1 = 1e9, bestb = 1e9, sum1 = 0, sumb = 0;
  for (int run = 0; run < 3; run++) {
    double t = now(), s = 0;
    for (size_t i = 0; i < n; i++) {
      double v = 0;
      ktpel_name_similarity(a[i].ptr, a[i].len, b[i].ptr, b[i].len, &v);
      s += v;
    }
    t = now() - t;
    if (t < best1) best1 = t;
    sum1 = s;
    t = now();
    if (ktpel_name_similarity_batch(a, b, n, out) != KTPEL_STATUS_OK) return 1;
    t = now() - t;
    if (t < bestb) bestb = t;
    s = 0;
    for (size_t i = 0; i < n; i++) s += out[i];
    sumb = s;
  }
  printf("C ktpel_name_similarity loop, 1 thread: %8.3f M pairs/s  %7.1f ns/pair  (sum %.6f)\n", n / best1 / 1e6,
         best1 * 1e9 / n, sum1);
  printf("C ktpel_name_similarity_batch, all cores: %6.3f M pairs/s  %7.1f ns/pair  (sum %.6f)\n", n / bestb / 1e6,
         bestb * 1e9 / n, sumb);
  free(out);
  free(a);
  free(b);
  free(text);
  return sum1 == sumb ? 0 : 1;
}
