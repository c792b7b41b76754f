/*
 * Baseline for `lav bench sdtw --baseline-c`: a straightforward C version of the same work the
 * Java benchmark times (squared-Euclidean cost matrix, soft-DTW forward with a max-shifted
 * log-sum-exp, the reference backward recursion for E, gradients for X and Y), written the way
 * Cuturi & Blondel's reference code writes it. Compiled with `gcc -O3` by the benchmark command.
 *
 * usage: softdtw_baseline N M D REPEAT GAMMA   -> prints {"ns_per_call": ..., "value": ...}
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double softmin3(double a, double b, double c, double gamma) {
  a = -a / gamma; b = -b / gamma; c = -c / gamma;
  double mx = a > b ? a : b;
  mx = mx > c ? mx : c;
  double s = exp(a - mx) + exp(b - mx) + exp(c - mx);
  return -gamma * (log(s) + mx);
}

static double run(const double *x, const double *y, int n, int m, int d, double gamma,
                  double *D, double *R, double *E, double *gx, double *gy) {
  int w = m + 2;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < m; j++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        double diff = x[i * d + k] - y[j * d + k];
        s += diff * diff;
      }
      D[i * m + j] = s;
    }
  for (int i = 0; i < (n + 2) * w; i++) { R[i] = INFINITY; E[i] = 0; }
  R[0] = 0;
  for (int i = 1; i <= n; i++)
    for (int j = 1; j <= m; j++)
      R[i * w + j] = D[(i - 1) * m + j - 1]
          + softmin3(R[(i - 1) * w + j - 1], R[(i - 1) * w + j], R[i * w + j - 1], gamma);
  double value = R[n * w + m];
  for (int i = 1; i <= n; i++) R[i * w + m + 1] = -INFINITY;
  for (int j = 1; j <= m; j++) R[(n + 1) * w + j] = -INFINITY;
  R[(n + 1) * w + m + 1] = R[n * w + m];
  E[(n + 1) * w + m + 1] = 1;
#define DP(i, j) (((i) <= n && (j) <= m) ? D[((i) - 1) * m + (j) - 1] : 0.0)
  for (int j = m; j >= 1; j--)
    for (int i = n; i >= 1; i--) {
      double r = R[i * w + j];
      double a = exp((R[(i + 1) * w + j] - r - DP(i + 1, j)) / gamma);
      double b = exp((R[i * w + j + 1] - r - DP(i, j + 1)) / gamma);
      double c = exp((R[(i + 1) * w + j + 1] - r - DP(i + 1, j + 1)) / gamma);
      E[i * w + j] = E[(i + 1) * w + j] * a + E[i * w + j + 1] * b + E[(i + 1) * w + j + 1] * c;
    }
  for (int i = 0; i < n * d; i++) gx[i] = 0;
  for (int i = 0; i < m * d; i++) gy[i] = 0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < m; j++) {
      double e2 = 2 * E[(i + 1) * w + j + 1];
      for (int k = 0; k < d; k++) {
        double g = e2 * (x[i * d + k] - y[j * d + k]);
        gx[i * d + k] += g;
        gy[j * d + k] -= g;
      }
    }
  return value;
}

int main(int argc, char **argv) {
  if (argc < 6) { fprintf(stderr, "usage: %s N M D REPEAT GAMMA\n", argv[0]); return 2; }
  int n = atoi(argv[1]), m = atoi(argv[2]), d = atoi(argv[3]), repeat = atoi(argv[4]);
  double gamma = atof(argv[5]);
  double *x = malloc(sizeof(double) * n * d), *y = malloc(sizeof(double) * m * d);
  unsigned long long s = 42;
  for (int i = 0; i < n * d; i++) { s = s * 6364136223846793005ULL + 1; x[i] = (double)(s >> 11) / 9007199254740992.0; }
  for (int i = 0; i < m * d; i++) { s = s * 6364136223846793005ULL + 1; y[i] = (double)(s >> 11) / 9007199254740992.0; }
  double *D = malloc(sizeof(double) * n * m);
  double *R = malloc(sizeof(double) * (n + 2) * (m + 2));
  double *E = malloc(sizeof(double) * (n + 2) * (m + 2));
  double *gx = malloc(sizeof(double) * n * d), *gy = malloc(sizeof(double) * m * d);
  double v = 0;
  /* Warm-up, so caches and page tables are in the same state as for the JIT-warmed Java run. */
  for (int r = 0; r < (repeat < 3 ? 1 : repeat / 3); r++) v = run(x, y, n, m, d, gamma, D, R, E, gx, gy);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int r = 0; r < repeat; r++) v = run(x, y, n, m, d, gamma, D, R, E, gx, gy);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ns = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / repeat;
  printf("{\"ns_per_call\": %.1f, \"value\": %.9f, \"grad_x00\": %.9f}\n", ns, v, gx[0]);
  return 0;
}
