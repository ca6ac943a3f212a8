/*
 * Native float32 kernels for the tfjs wasm backend (matrix products, first-axis sums, row gathers,
 * adds, block transposes, a fused AdamW update, fused layers) on tensors that live in the wasm heap, read and written in place (no
 * copies). The wasm backend runs its kernels on one thread and its batched product is a plain
 * loop; OpenBLAS with OpenMP uses every core. Batched products
 * (attention) are split over OpenMP threads, each calling a single-threaded sgemm, because OpenBLAS
 * runs single-threaded inside a parallel region; one large product lets OpenBLAS thread it.
 */
#include <node_api.h>
#include <cblas.h>
#include <omp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#define CHECK(call)                                                        \
  if ((call) != napi_ok) {                                                 \
    napi_throw_error(env, NULL, "mta4dpr native: N-API call failed: " #call); \
    return NULL;                                                           \
  }

/*
 * Element-wise loops get AVX-512 and AVX2 clones, picked when the library loads (glibc ifunc),
 * beside the baseline SSE2 one: the addon is built where npm installs it, but may run on an older
 * CPU (and GELU measured 2.3 / 1.0 / 0.53 ms per million values with SSE2 / AVX2 / AVX-512). The
 * clones do the same float operations in the same order (ISO C mode: no FMA contraction), so
 * their results are equal bit for bit. OpenMP outlines a parallel region's body into a function
 * that target_clones does not reach, so the cloned functions take a range and are called from it.
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTOR_CLONES
#endif

/* fn(ctx, lo, hi) over [0, size), in one contiguous range per thread (bounds on multiples of `align`) when `parallel`, else at once. */
typedef void (*RangeFn)(const void* ctx, int64_t lo, int64_t hi);

static void parallel_split(int64_t size, int64_t align, bool parallel, RangeFn fn, const void* ctx) {
  if (!parallel || omp_get_max_threads() == 1) {
    fn(ctx, 0, size);
    return;
  }
#pragma omp parallel
  {
    const int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
    const int64_t lo = t == 0 ? 0 : size * t / nt / align * align, hi = t == nt - 1 ? size : size * (t + 1) / nt / align * align;
    if (hi > lo) fn(ctx, lo, hi);
  }
}

/* Element ranges starting on 16-element bounds, on one thread below minSize elements. */
static void parallel_ranges(int64_t size, int64_t minSize, RangeFn fn, const void* ctx) {
  parallel_split(size, 16, size >= minSize, fn, ctx);
}

/* Whole batches of perBatch elements each, on one thread below 16384 elements in all. */
static void parallel_batches(int64_t batches, int64_t perBatch, RangeFn fn, const void* ctx) {
  parallel_split(batches, 1, batches > 1 && batches * perBatch >= 16384, fn, ctx);
}

static bool get_int64(napi_env env, napi_value v, int64_t* out) {
  return napi_get_value_int64(env, v, out) == napi_ok;
}

/* A heap kernel's call: the raw arguments, the wasm heap, and its leading non-negative integers. */
typedef struct {
  const char* name;
  napi_value argv[20];
  uint8_t* heap;
  size_t heapBytes;
  int64_t ints[12];
} HeapCall;

/*
 * Reads the arguments every heap kernel starts with: argv[0] an ArrayBuffer (the wasm heap), then
 * `count` non-negative integers (byte offsets and sizes). Throws a TypeError naming the kernel and
 * returns false when the call does not fit.
 */
static bool heap_args(napi_env env, napi_callback_info info, const char* name, size_t argc_expected, int count, HeapCall* c) {
  size_t argc = argc_expected;
  char msg[160];
  if (argc_expected > sizeof c->argv / sizeof c->argv[0]) {
    napi_throw_error(env, NULL, "mta4dpr native: a kernel expects more arguments than HeapCall holds");
    return false;
  }
  void* heap = NULL;
  c->name = name;
  if (napi_get_cb_info(env, info, &argc, c->argv, NULL, NULL) != napi_ok || argc != argc_expected ||
      napi_get_arraybuffer_info(env, c->argv[0], &heap, &c->heapBytes) != napi_ok) {
    snprintf(msg, sizeof msg, "%s: expected %zu arguments, the first an ArrayBuffer", name, argc_expected);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  c->heap = (uint8_t*)heap;
  for (int i = 0; i < count; i++) {
    if (!get_int64(env, c->argv[i + 1], &c->ints[i]) || c->ints[i] < 0) {
      snprintf(msg, sizeof msg, "%s: offsets and sizes must be non-negative integers", name);
      napi_throw_type_error(env, NULL, msg);
      return false;
    }
  }
  return true;
}

/* `bytes` bytes at `offset` in the heap, or NULL after a RangeError when they lie outside it or are misaligned. */
static void* heap_span(napi_env env, const HeapCall* c, int64_t offset, uint64_t bytes) {
  if ((uint64_t)offset + bytes > c->heapBytes || offset % 4 != 0) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s: an operand lies outside the heap or is misaligned", c->name);
    napi_throw_range_error(env, NULL, msg);
    return NULL;
  }
  return c->heap + offset;
}

/*
 * sgemmBatched(heap: ArrayBuffer, aOffset, bOffset, outOffset, batchA, batchB, m, n, k, transA, transB)
 * out[i] = op(a[i]) · op(b[i]) for i < max(batchA, batchB); a batch of 1 broadcasts.
 * Row-major: op(a) is m × k, op(b) is k × n, out is m × n. Offsets are in bytes.
 */
static napi_value sgemm_batched(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "sgemmBatched", 11, 8, &c)) return NULL;
  bool transA = false, transB = false;
  CHECK(napi_get_value_bool(env, c.argv[9], &transA));
  CHECK(napi_get_value_bool(env, c.argv[10], &transB));
  const int64_t* v = c.ints;
  const int64_t aOff = v[0], bOff = v[1], outOff = v[2], batchA = v[3], batchB = v[4], m = v[5], n = v[6], k = v[7];
  const int64_t batch = batchA > batchB ? batchA : batchB;
  if ((batchA != batch && batchA != 1) || (batchB != batch && batchB != 1)) {
    napi_throw_range_error(env, NULL, "sgemmBatched: batch sizes must match or be 1");
    return NULL;
  }
  const float *a, *b;
  float* out;
  if (!(a = heap_span(env, &c, aOff, 4ull * batchA * m * k)) || !(b = heap_span(env, &c, bOff, 4ull * batchB * k * n)) ||
      !(out = heap_span(env, &c, outOff, 4ull * batch * m * n))) return NULL;
  const int lda = transA ? (int)m : (int)k, ldb = transB ? (int)k : (int)n;
  const enum CBLAS_TRANSPOSE ta = transA ? CblasTrans : CblasNoTrans, tb = transB ? CblasTrans : CblasNoTrans;
  if (batch == 1) {
    cblas_sgemm(CblasRowMajor, ta, tb, (int)m, (int)n, (int)k, 1.0f, a, lda, b, ldb, 0.0f, out, (int)n);
  } else {
    const int64_t aStride = batchA == 1 ? 0 : m * k, bStride = batchB == 1 ? 0 : k * n;
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < batch; i++) {
      cblas_sgemm(CblasRowMajor, ta, tb, (int)m, (int)n, (int)k, 1.0f, a + i * aStride, lda, b + i * bStride, ldb, 0.0f, out + i * m * n, (int)n);
    }
  }
  return NULL;
}

static bool float_array(napi_env env, napi_value v, float** data, size_t* length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, length, (void**)data, &buffer, &offset) != napi_ok) return false;
  return type == napi_float32_array;
}

/*
 * sgemm(a, b, out, m, n, k, transB): out = a · op(b) on JS Float32Arrays (exact search scores a
 * block of queries against a block of the corpus); a is m × k, op(b) is k × n, out is m × n.
 */
static napi_value sgemm_arrays(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *a, *b, *out;
  size_t la, lb, lo;
  int64_t v[3];
  bool transB = false;
  if (argc != 7 || !float_array(env, argv[0], &a, &la) || !float_array(env, argv[1], &b, &lb) || !float_array(env, argv[2], &out, &lo) ||
      !get_int64(env, argv[3], &v[0]) || !get_int64(env, argv[4], &v[1]) || !get_int64(env, argv[5], &v[2]) ||
      napi_get_value_bool(env, argv[6], &transB) != napi_ok) {
    napi_throw_type_error(env, NULL, "sgemm: expected (Float32Array a, Float32Array b, Float32Array out, m, n, k, transB)");
    return NULL;
  }
  const int64_t m = v[0], n = v[1], k = v[2];
  if (m < 0 || n < 0 || k < 0 || (uint64_t)m * k > la || (uint64_t)k * n > lb || (uint64_t)m * n > lo) {
    napi_throw_range_error(env, NULL, "sgemm: arrays are smaller than m, n, k say");
    return NULL;
  }
  if (m * n == 0) return NULL;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, transB ? CblasTrans : CblasNoTrans, (int)m, (int)n, (int)k, 1.0f, a, (int)k, b, transB ? (int)k : (int)n, 0.0f, out, (int)n);
  return NULL;
}

/* (score, index) a ranks below (score, index) b: lower score, or equal score and a larger index. */
static inline bool hit_worse(float sa, int32_t ia, float sb, int32_t ib) {
  return sa < sb || (sa == sb && ia > ib);
}

/* Restores the min-heap (worst hit at the root) below position i. */
static void heap_down(float* sc, int32_t* ix, int64_t size, int64_t i) {
  for (;;) {
    const int64_t l = 2 * i + 1, r = l + 1;
    int64_t m = i;
    if (l < size && hit_worse(sc[l], ix[l], sc[m], ix[m])) m = l;
    if (r < size && hit_worse(sc[r], ix[r], sc[m], ix[m])) m = r;
    if (m == i) return;
    const float ts = sc[i]; sc[i] = sc[m]; sc[m] = ts;
    const int32_t ti = ix[i]; ix[i] = ix[m]; ix[m] = ti;
    i = m;
  }
}

/*
 * topkInner(queries, corpus, outIndices, outScores, nq, rows, dim, k, chunkRows): the k best corpus
 * rows of every query by inner product (score desc, then row asc), written best first into
 * outIndices/outScores (nq × k). The corpus is scored chunkRows rows at a time by one sgemm
 * (OpenBLAS threads it), then the queries' heaps take the chunk in parallel; rows arrive in
 * ascending order, so once a heap is full only a strictly higher score enters.
 */
static napi_value topk_inner(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *q, *c, *outScores;
  size_t lq, lc, li, ls;
  int64_t v[5];
  int32_t* outIdx = NULL;
  napi_typedarray_type idxType;
  napi_value ab;
  size_t off;
  bool ok = argc == 9 && float_array(env, argv[0], &q, &lq) && float_array(env, argv[1], &c, &lc) &&
            napi_get_typedarray_info(env, argv[2], &idxType, &li, (void**)&outIdx, &ab, &off) == napi_ok && idxType == napi_int32_array &&
            float_array(env, argv[3], &outScores, &ls);
  for (int i = 0; ok && i < 5; i++) ok = get_int64(env, argv[4 + i], &v[i]) && v[i] >= 0;
  if (!ok) {
    napi_throw_type_error(env, NULL, "topkInner: expected (Float32Array queries, Float32Array corpus, Int32Array outIndices, Float32Array outScores, nq, rows, dim, k, chunkRows)");
    return NULL;
  }
  const int64_t nq = v[0], rows = v[1], dim = v[2], k = v[3], chunk = v[4];
  if ((uint64_t)nq * dim > lq || (uint64_t)rows * dim > lc || (uint64_t)nq * k > li || (uint64_t)nq * k > ls || k > rows || chunk < 1 || dim < 1) {
    napi_throw_range_error(env, NULL, "topkInner: arrays are smaller than nq, rows, dim, k say, k exceeds the rows, or chunkRows < 1");
    return NULL;
  }
  if (nq == 0 || k == 0) return NULL;
  const int64_t cr = chunk < rows ? chunk : rows;
  float* scores = (float*)malloc(sizeof(float) * nq * cr);
  int64_t* sizes = (int64_t*)calloc(nq, sizeof(int64_t));
  if (!scores || !sizes) {
    free(scores);
    free(sizes);
    napi_throw_error(env, NULL, "topkInner: out of memory");
    return NULL;
  }
  for (int64_t start = 0; start < rows; start += cr) {
    const int64_t n = rows - start < cr ? rows - start : cr;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)nq, (int)n, (int)dim, 1.0f, q, (int)dim, c + start * dim, (int)dim, 0.0f, scores, (int)n);
#pragma omp parallel for schedule(static)
    for (int64_t qi = 0; qi < nq; qi++) {
      float* sc = outScores + qi * k;
      int32_t* ix = outIdx + qi * k;
      const float* row = scores + qi * n;
      int64_t size = sizes[qi];
      int64_t j = 0;
      for (; j < n && size < k; j++) {
        /* Filling: sift the new hit up. */
        int64_t i = size++;
        sc[i] = row[j];
        ix[i] = (int32_t)(start + j);
        while (i > 0) {
          const int64_t p = (i - 1) >> 1;
          if (!hit_worse(sc[i], ix[i], sc[p], ix[p])) break;
          const float ts = sc[i]; sc[i] = sc[p]; sc[p] = ts;
          const int32_t ti = ix[i]; ix[i] = ix[p]; ix[p] = ti;
          i = p;
        }
      }
      float worst = sc[0];
      for (; j < n; j++) {
        if (row[j] > worst) {
          sc[0] = row[j];
          ix[0] = (int32_t)(start + j);
          heap_down(sc, ix, size, 0);
          worst = sc[0];
        }
      }
      sizes[qi] = size;
    }
  }
  /* Heap order → best first: pop the worst to the back, k times. */
#pragma omp parallel for schedule(static)
  for (int64_t qi = 0; qi < nq; qi++) {
    float* sc = outScores + qi * k;
    int32_t* ix = outIdx + qi * k;
    for (int64_t size = k; size > 1; size--) {
      const float ts = sc[0]; sc[0] = sc[size - 1]; sc[size - 1] = ts;
      const int32_t ti = ix[0]; ix[0] = ix[size - 1]; ix[size - 1] = ti;
      heap_down(sc, ix, size - 1, 0);
    }
  }
  free(scores);
  free(sizes);
  return NULL;
}

/*
 * sumLeading(heap, xOffset, outOffset, rows, cols): out[j] = Σ_i x[i, j] over a row-major
 * rows × cols matrix, as one matrix-vector product with a vector of ones (bias and LayerNorm
 * gradients reduce a [tokens, hidden] matrix over its first axis).
 */
static float* ones = NULL;
static int64_t onesLength = 0;

static napi_value sum_leading(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "sumLeading", 5, 4, &c)) return NULL;
  const int64_t rows = c.ints[2], cols = c.ints[3];
  const float* x;
  float* out;
  if (!(x = heap_span(env, &c, c.ints[0], 4ull * rows * cols)) || !(out = heap_span(env, &c, c.ints[1], 4ull * cols))) return NULL;
  if (rows > onesLength) {
    float* grown = (float*)realloc(ones, sizeof(float) * rows);
    if (!grown) {
      napi_throw_error(env, NULL, "sumLeading: out of memory");
      return NULL;
    }
    ones = grown;
    for (int64_t i = onesLength; i < rows; i++) ones[i] = 1.0f;
    onesLength = rows;
  }
  cblas_sgemv(CblasRowMajor, CblasTrans, (int)rows, (int)cols, 1.0f, x, (int)cols, ones, 1, 0.0f, out, 1);
  return NULL;
}

/* The position of the first id outside [0, rows), or -1 (gather and scatter report it to the caller). */
static int64_t first_bad_index(const int32_t* idx, int64_t count, int64_t rows) {
  for (int64_t i = 0; i < count; i++)
    if (idx[i] < 0 || idx[i] >= rows) return i;
  return -1;
}

static napi_value int64_value(napi_env env, int64_t v) {
  napi_value result;
  CHECK(napi_create_int64(env, v, &result));
  return result;
}

/*
 * gatherRows(heap, tableOffset, rows, cols, indicesOffset, count, outOffset): out[i, :] =
 * table[indices[i], :] for int32 indices. Returns -1, or the position of the first index outside
 * [0, rows) (then nothing is written and the caller raises tfjs's own error).
 */
static napi_value gather_rows(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "gatherRows", 7, 6, &c)) return NULL;
  const int64_t rows = c.ints[1], cols = c.ints[2], count = c.ints[4];
  const float* table;
  const int32_t* idx;
  float* out;
  if (!(table = heap_span(env, &c, c.ints[0], 4ull * rows * cols)) || !(idx = heap_span(env, &c, c.ints[3], 4ull * count)) ||
      !(out = heap_span(env, &c, c.ints[5], 4ull * count * cols))) return NULL;
  const int64_t bad = first_bad_index(idx, count, rows);
  if (bad < 0) {
    for (int64_t i = 0; i < count; i++) memcpy(out + i * cols, table + (int64_t)idx[i] * cols, sizeof(float) * cols);
  }
  return int64_value(env, bad);
}

/*
 * adamw(heap, param, grad, m, v, outParam, outM, outV, size, lr, beta1, beta2, c1, c2, epsilon,
 * decay, gradScale): one fused AdamW update, operation by operation in float32 as lib/train/adamw.ts
 * writes it with tf ops (so both paths round alike), on g = grad·gradScale (clipping's factor,
 * folded in rather than a pass of its own over every gradient):
 *   m' = β1·m + (1−β1)·g;  v' = β2·v + (1−β2)·g²;  u = (m'/c1) / (√(v'/c2) + ε) + λ·θ;  θ' = θ − lr·u.
 */
typedef struct {
  const float *p, *g, *m, *v;
  float *po, *mo, *vo;
  float lr, b1, b2, c1, c2, eps, wd, nb1, nb2, gs;
} AdamWArgs;

/* restrict: with seven pointers GCC gives up the run-time alias checks and would not vectorize. */
static inline void adamw_loop(const float* restrict p, const float* restrict g, const float* restrict m, const float* restrict v,
                              float* restrict po, float* restrict mo, float* restrict vo, int64_t n, const AdamWArgs* a) {
  const float lr = a->lr, b1 = a->b1, b2 = a->b2, c1 = a->c1, c2 = a->c2, eps = a->eps, wd = a->wd, nb1 = a->nb1, nb2 = a->nb2, gs = a->gs;
  for (int64_t i = 0; i < n; i++) {
    const float gi = g[i] * gs; /* × 1 is exact: unclipped gradients are used as they are */
    const float mi = b1 * m[i] + nb1 * gi;
    const float vi = b2 * v[i] + nb2 * (gi * gi);
    float u = (mi / c1) / (sqrtf(vi / c2) + eps);
    if (wd != 0.0f) u = u + p[i] * wd;
    mo[i] = mi;
    vo[i] = vi;
    po[i] = p[i] - u * lr;
  }
}

VECTOR_CLONES static void adamw_range(const void* ctx, int64_t lo, int64_t hi) {
  const AdamWArgs* a = (const AdamWArgs*)ctx;
  adamw_loop(a->p + lo, a->g + lo, a->m + lo, a->v + lo, a->po + lo, a->mo + lo, a->vo + lo, hi - lo, a);
}

static napi_value adamw(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "adamw", 17, 8, &c)) return NULL;
  double h[8];
  for (int i = 0; i < 8; i++) CHECK(napi_get_value_double(env, c.argv[i + 9], &h[i]));
  const int64_t size = c.ints[7];
  float* base[7];
  for (int i = 0; i < 7; i++) {
    if (!(base[i] = heap_span(env, &c, c.ints[i], 4ull * size))) return NULL;
  }
  /* The outputs are fresh tensors: they never overlap the inputs (restrict above relies on it). */
  const AdamWArgs a = {base[0], base[1], base[2], base[3], base[4], base[5], base[6],
                       (float)h[0], (float)h[1], (float)h[2], (float)h[3], (float)h[4], (float)h[5], (float)h[6], (float)(1.0 - h[1]), (float)(1.0 - h[2]), (float)h[7]};
  parallel_ranges(size, 16384, adamw_range, &a);
  return NULL;
}

/* setThreads(n): OpenMP (and so OpenBLAS) threads for every later call. */
static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t n = 0;
  if (argc != 1 || !get_int64(env, argv[0], &n) || n < 1 || n > 1024) {
    napi_throw_type_error(env, NULL, "setThreads: expected an integer between 1 and 1024");
    return NULL;
  }
  omp_set_num_threads((int)n);
  openblas_set_num_threads((int)n);
  return NULL;
}

/* threads(): the number of threads later calls may use. */
static napi_value threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  CHECK(napi_create_int32(env, omp_get_max_threads(), &out));
  return out;
}

/*
 * axpy(out, offset, c, v): out[offset + k] += c · v[k] for every k of v, each sum taken in double
 * and rounded to float as it is stored: the same arithmetic as the JS loop
 * `out[o + k] += c * v[k]` on Float32Arrays, so the hashed lexical encoder's embeddings are equal
 * bit for bit either way (ISO C11 mode: no FMA contraction).
 */
static napi_value axpy_f32(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float* out;
  float* v;
  size_t nOut, nV;
  int64_t offset;
  double c;
  if (argc != 4 || !float_array(env, argv[0], &out, &nOut) || !get_int64(env, argv[1], &offset) ||
      napi_get_value_double(env, argv[2], &c) != napi_ok || !float_array(env, argv[3], &v, &nV)) {
    napi_throw_type_error(env, NULL, "axpy: expected (Float32Array out, offset, c, Float32Array v)");
    return NULL;
  }
  if (offset < 0 || (uint64_t)offset + nV > nOut) {
    napi_throw_range_error(env, NULL, "axpy: offset + v.length exceeds out.length");
    return NULL;
  }
  float* o = out + offset;
  for (size_t k = 0; k < nV; k++) o[k] = (float)((double)o[k] + c * (double)v[k]);
  return NULL;
}

/*
 * scatterRows(heap, updatesOffset, indicesOffset, count, cols, outOffset, rows): out = zeros(rows,
 * cols), then out[indices[i], :] += updates[i, :] for i = 0 … count−1 in order (the embedding
 * gradient, scatterND's semantics: duplicate ids accumulate). Threads split the columns, so each
 * element still sums its updates in index order: bit-identical to a serial scatter. Returns -1, or
 * the position of the first index outside [0, rows) (then out is left zero).
 */
static napi_value scatter_rows(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "scatterRows", 7, 6, &c)) return NULL;
  const int64_t count = c.ints[2], cols = c.ints[3], rows = c.ints[5];
  const float* upd;
  const int32_t* idx;
  float* out;
  if (!(upd = heap_span(env, &c, c.ints[0], 4ull * count * cols)) || !(idx = heap_span(env, &c, c.ints[1], 4ull * count)) ||
      !(out = heap_span(env, &c, c.ints[4], 4ull * rows * cols))) return NULL;
  memset(out, 0, sizeof(float) * rows * cols);
  const int64_t bad = first_bad_index(idx, count, rows);
  if (bad < 0) {
    const int parts = cols >= 64 ? omp_get_max_threads() : 1;
#pragma omp parallel for num_threads(parts) schedule(static)
    for (int p = 0; p < parts; p++) {
      const int64_t lo = cols * p / parts, hi = cols * (p + 1) / parts;
      for (int64_t i = 0; i < count; i++) {
        float* dst = out + (int64_t)idx[i] * cols;
        const float* src = upd + i * cols;
        for (int64_t j = lo; j < hi; j++) dst[j] += src[j];
      }
    }
  }
  return int64_value(env, bad);
}

typedef struct {
  const float *a, *b;
  float* out;
} BinaryArgs;

VECTOR_CLONES static void add_range(const void* ctx, int64_t lo, int64_t hi) {
  const BinaryArgs* x = (const BinaryArgs*)ctx;
  const float *a = x->a, *b = x->b;
  float* out = x->out;
  for (int64_t i = lo; i < hi; i++) out[i] = a[i] + b[i];
}

/*
 * addSame(heap, aOffset, bOffset, outOffset, size): out = a + b elementwise in float32 on every
 * core (the wasm Add is one thread; summing the two towers' 3M-entry embedding gradients is the
 * largest add of a step). Bit-identical to any other float32 add.
 */
static napi_value add_same(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "addSame", 5, 4, &c)) return NULL;
  const int64_t size = c.ints[3];
  const float *a, *b;
  float* out;
  if (!(a = heap_span(env, &c, c.ints[0], 4ull * size)) || !(b = heap_span(env, &c, c.ints[1], 4ull * size)) ||
      !(out = heap_span(env, &c, c.ints[2], 4ull * size))) return NULL;
  const BinaryArgs args = {a, b, out};
  parallel_ranges(size, 16384, add_range, &args);
  return NULL;
}

typedef struct {
  const float *a, *row;
  float* out;
  int64_t cols;
} RowsArgs;

/* Rows [lo, hi): out[r, :] = a[r, :] + row. */
VECTOR_CLONES static void add_row_range(const void* ctx, int64_t lo, int64_t hi) {
  const RowsArgs* x = (const RowsArgs*)ctx;
  const int64_t cols = x->cols;
  const float* row = x->row;
  for (int64_t r = lo; r < hi; r++) {
    const float* ar = x->a + r * cols;
    float* o = x->out + r * cols;
    for (int64_t j = 0; j < cols; j++) o[j] = ar[j] + row[j];
  }
}

/*
 * addRow(heap, aOffset, rowOffset, outOffset, rows, cols): out[r, :] = a[r, :] + row for a [rows,
 * cols] (a bias, or position embeddings, broadcast over the leading axes): the wasm Add walks a
 * broadcast element by element. Bit-identical to any other float32 add.
 */
static napi_value add_row(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "addRow", 6, 5, &c)) return NULL;
  const int64_t rows = c.ints[3], cols = c.ints[4], size = rows * cols;
  const float* spans[3];
  const uint64_t bytes[3] = {4ull * size, 4ull * cols, 4ull * size};
  for (int i = 0; i < 3; i++)
    if (!(spans[i] = heap_span(env, &c, c.ints[i], bytes[i]))) return NULL;
  const RowsArgs args = {spans[0], spans[1], (float*)spans[2], cols};
  parallel_split(rows, 1, size >= 16384, add_row_range, &args);
  return NULL;
}

typedef struct {
  const float* x;
  float* out;
  int64_t b, c, d;
} SwapArgs;

/* Outer indices [lo, hi) of swapMiddle. */
static void swap_middle_range(const void* ctx, int64_t lo, int64_t hi) {
  const SwapArgs* s = (const SwapArgs*)ctx;
  const int64_t B = s->b, C = s->c, D = s->d;
  for (int64_t a = lo; a < hi; a++) {
    const float* xa = s->x + a * B * C * D;
    float* oa = s->out + a * B * C * D;
    for (int64_t i = 0; i < B; i++)
      for (int64_t j = 0; j < C; j++) memcpy(oa + (j * B + i) * D, xa + (i * C + j) * D, sizeof(float) * D);
  }
}

/*
 * swapMiddle(heap, xOffset, outOffset, a, b, c, d): out[a, c, b, :] = x[a, b, c, :], rows of d
 * floats copied whole (attention's head split [t, len, heads, dh] → [t, heads, len, dh] and its
 * merge back, which the wasm Transpose does element by element). Threads split the outer axis.
 */
static napi_value swap_middle(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "swapMiddle", 7, 6, &c)) return NULL;
  const int64_t A = c.ints[2], B = c.ints[3], C = c.ints[4], D = c.ints[5];
  const uint64_t bytes = 4ull * A * B * C * D;
  SwapArgs s = {0};
  if (!(s.x = heap_span(env, &c, c.ints[0], bytes)) || !(s.out = heap_span(env, &c, c.ints[1], bytes))) return NULL;
  s.b = B;
  s.c = C;
  s.d = D;
  parallel_split(A, 1, A > 1 && bytes >= 65536, swap_middle_range, &s);
  return NULL;
}

/* 1/√2 (M_SQRT1_2 is not in strict C11). */
static const float SQRT1_2F = 0.70710678118654752f;

static inline float bits_float(int32_t b) {
  float f;
  memcpy(&f, &b, 4);
  return f;
}

static inline int32_t float_bits(float f) {
  int32_t b;
  memcpy(&b, &f, 4);
  return b;
}

/*
 * e^x for x ≤ 0 (all GELU needs: e^(−x²/2), e^(−a²)), relative error < 1e-7: x = n·ln2 + r with
 * |r| ≤ ln2/2, a degree-6 polynomial for e^r (Cephes' expf coefficients), 2^n from the exponent
 * bits. Branch-free (the clamp at −87 works on the magnitude's bits), so the loops vectorize;
 * glibc's expf and erff are scalar calls (erff measured 7× slower than this erf on 1M values).
 */
static inline float exp_nonpositive(float x) {
  int32_t mag = float_bits(x) & 0x7fffffff;
  const int32_t limit = 0x42ae0000; /* 87.0f: e^-87 is near the smallest normal float */
  mag = mag < limit ? mag : limit;
  x = -bits_float(mag);
  const int32_t n = (int32_t)(x * 1.44269504088896341f - 0.5f); /* truncation of a value ≤ 0: ceil(x/ln2 − ½) */
  const float nf = (float)n;
  const float r = (x - nf * 0.693359375f) - nf * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  return p * bits_float((n + 127) << 23);
}

/*
 * erf(x) by Abramowitz & Stegun 7.1.26 (the formula of tfjs-core's erf on the cpu backend), absolute error < 6e-7
 * in float32; odd symmetry through the sign bit, branch-free.
 */
static inline float erf_fast(float x) {
  const int32_t xb = float_bits(x);
  const float a = bits_float(xb & 0x7fffffff);
  const float t = 1.0f / (1.0f + 0.3275911f * a);
  const float poly = ((((1.061405429f * t - 1.453152027f) * t + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t;
  const float y = 1.0f - poly * exp_nonpositive(-a * a);
  return bits_float(float_bits(y) | (xb & (int32_t)0x80000000));
}

VECTOR_CLONES static void gelu_range(const void* ctx, int64_t lo, int64_t hi) {
  const BinaryArgs* a = (const BinaryArgs*)ctx;
  const float* x = a->a;
  float* out = a->out;
  for (int64_t i = lo; i < hi; i++) out[i] = 0.5f * x[i] * (1.0f + erf_fast(x[i] * SQRT1_2F));
}

/* a = x, b = dy, out = dx. */
VECTOR_CLONES static void gelu_grad_range(const void* ctx, int64_t lo, int64_t hi) {
  const BinaryArgs* a = (const BinaryArgs*)ctx;
  const float *x = a->a, *dy = a->b;
  float* dx = a->out;
  const float inv_sqrt_2pi = 0.3989422804014327f;
  for (int64_t i = lo; i < hi; i++) {
    const float v = x[i];
    const float cdf = 0.5f * (1.0f + erf_fast(v * SQRT1_2F));
    dx[i] = dy[i] * (cdf + v * inv_sqrt_2pi * exp_nonpositive(-0.5f * v * v));
  }
}

/*
 * Exact GELU, y = x·Φ(x) = ½x(1 + erf(x/√2)), as BERT/DistilBERT (and the tf-ops path of
 * lib/models/fusedLayers.ts) compute it, in one pass on every core instead of five tensors.
 * geluForward(heap, xOffset, outOffset, size)
 */
static napi_value gelu_forward(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "geluForward", 4, 3, &c)) return NULL;
  const int64_t size = c.ints[2];
  const float* x;
  float* out;
  if (!(x = heap_span(env, &c, c.ints[0], 4ull * size)) || !(out = heap_span(env, &c, c.ints[1], 4ull * size))) return NULL;
  const BinaryArgs args = {x, NULL, out};
  parallel_ranges(size, 16384, gelu_range, &args);
  return NULL;
}

/*
 * geluBackward(heap, xOffset, dyOffset, dxOffset, size): dx = dy·(Φ(x) + x·φ(x)), φ the standard
 * normal density: the derivative of x·Φ(x), from the saved input alone.
 */
static napi_value gelu_backward(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "geluBackward", 5, 4, &c)) return NULL;
  const int64_t size = c.ints[3];
  const float *x, *dy;
  float* dx;
  if (!(x = heap_span(env, &c, c.ints[0], 4ull * size)) || !(dy = heap_span(env, &c, c.ints[1], 4ull * size)) ||
      !(dx = heap_span(env, &c, c.ints[2], 4ull * size))) return NULL;
  const BinaryArgs args = {x, dy, dx};
  parallel_ranges(size, 16384, gelu_grad_range, &args);
  return NULL;
}

/*
 * Sums in double of a float row, in four interleaved partial sums added pairwise at the end: the
 * loops vectorize (a single running sum waits on each add's latency). They differ from a serial
 * double sum only in double's last bits, and do not depend on the thread count.
 */
static inline double sum_f64(const float* x, int64_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int64_t j = 0;
  for (; j + 4 <= n; j += 4) {
    s0 += x[j];
    s1 += x[j + 1];
    s2 += x[j + 2];
    s3 += x[j + 3];
  }
  for (; j < n; j++) s0 += x[j];
  return (s0 + s1) + (s2 + s3);
}

/* Σ (x − mu)² in double, as sum_f64. */
static inline double sum_sq_dev_f64(const float* x, int64_t n, double mu) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int64_t j = 0;
  for (; j + 4 <= n; j += 4) {
    const double d0 = x[j] - mu, d1 = x[j + 1] - mu, d2 = x[j + 2] - mu, d3 = x[j + 3] - mu;
    s0 += d0 * d0;
    s1 += d1 * d1;
    s2 += d2 * d2;
    s3 += d3 * d3;
  }
  for (; j < n; j++) {
    const double d = x[j] - mu;
    s0 += d * d;
  }
  return (s0 + s1) + (s2 + s3);
}

typedef struct {
  const float *x, *gamma, *beta, *mean, *rstd, *dy;
  float *y, *meanOut, *rstdOut, *dx, *dgamma, *dbeta;
  int64_t rows, cols;
  double eps;
} LayerNormArgs;

/* Rows [lo, hi) of the forward pass. */
VECTOR_CLONES static void layer_norm_rows(const void* ctx, int64_t lo, int64_t hi) {
  const LayerNormArgs* a = (const LayerNormArgs*)ctx;
  const int64_t cols = a->cols;
  const float *gamma = a->gamma, *beta = a->beta;
  for (int64_t r = lo; r < hi; r++) {
    const float* xr = a->x + r * cols;
    float* yr = a->y + r * cols;
    const double mu = sum_f64(xr, cols) / (double)cols;
    const double sq = sum_sq_dev_f64(xr, cols, mu);
    const float m = (float)mu, s = (float)(1.0 / sqrt(sq / (double)cols + a->eps));
    a->meanOut[r] = m;
    a->rstdOut[r] = s;
    for (int64_t j = 0; j < cols; j++) yr[j] = (xr[j] - m) * s * gamma[j] + beta[j];
  }
}

/*
 * layerNormForward(heap, x, gamma, beta, y, mean, rstd, rows, cols, eps): each row of x [rows,
 * cols] normalised to zero mean and unit variance (biased, as BERT's), then y = x̂·γ + β; the
 * row's mean and 1/√(var + ε) are written for the backward pass. Row statistics in double (two
 * passes), so they do not depend on how rows are split among threads.
 */
static napi_value layer_norm_forward(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "layerNormForward", 10, 8, &c)) return NULL;
  const int64_t rows = c.ints[6], cols = c.ints[7];
  double eps;
  CHECK(napi_get_value_double(env, c.argv[9], &eps));
  LayerNormArgs a = {0};
  if (!(a.x = heap_span(env, &c, c.ints[0], 4ull * rows * cols)) || !(a.gamma = heap_span(env, &c, c.ints[1], 4ull * cols)) ||
      !(a.beta = heap_span(env, &c, c.ints[2], 4ull * cols)) || !(a.y = heap_span(env, &c, c.ints[3], 4ull * rows * cols)) ||
      !(a.meanOut = heap_span(env, &c, c.ints[4], 4ull * rows)) || !(a.rstdOut = heap_span(env, &c, c.ints[5], 4ull * rows))) return NULL;
  a.rows = rows;
  a.cols = cols;
  a.eps = eps;
  parallel_split(rows, 1, rows * cols >= 16384, layer_norm_rows, &a);
  return NULL;
}

/* Rows [lo, hi) of dx. */
VECTOR_CLONES static void layer_norm_grad_rows(const void* ctx, int64_t lo, int64_t hi) {
  const LayerNormArgs* a = (const LayerNormArgs*)ctx;
  const int64_t cols = a->cols;
  const float* gamma = a->gamma;
  for (int64_t r = lo; r < hi; r++) {
    const float *xr = a->x + r * cols, *dyr = a->dy + r * cols;
    float* dxr = a->dx + r * cols;
    const float m = a->mean[r], s = a->rstd[r];
    double sg[4] = {0, 0, 0, 0}, sgx[4] = {0, 0, 0, 0};
    int64_t j = 0;
    for (; j + 4 <= cols; j += 4) {
      for (int k = 0; k < 4; k++) {
        const float g = dyr[j + k] * gamma[j + k];
        sg[k] += g;
        sgx[k] += (double)g * ((xr[j + k] - m) * s);
      }
    }
    for (; j < cols; j++) {
      const float g = dyr[j] * gamma[j];
      sg[0] += g;
      sgx[0] += (double)g * ((xr[j] - m) * s);
    }
    const float mg = (float)(((sg[0] + sg[1]) + (sg[2] + sg[3])) / (double)cols);
    const float mgx = (float)(((sgx[0] + sgx[1]) + (sgx[2] + sgx[3])) / (double)cols);
    for (j = 0; j < cols; j++) dxr[j] = s * (dyr[j] * gamma[j] - mg - ((xr[j] - m) * s) * mgx);
  }
}

/* Columns [lo, hi) of dγ and dβ, each summed over the rows in order. */
VECTOR_CLONES static void layer_norm_grad_cols(const void* ctx, int64_t lo, int64_t hi) {
  const LayerNormArgs* a = (const LayerNormArgs*)ctx;
  const int64_t cols = a->cols;
  float *dgamma = a->dgamma, *dbeta = a->dbeta;
  for (int64_t j = lo; j < hi; j++) dgamma[j] = dbeta[j] = 0;
  for (int64_t r = 0; r < a->rows; r++) {
    const float *xr = a->x + r * cols, *dyr = a->dy + r * cols;
    const float m = a->mean[r], s = a->rstd[r];
    for (int64_t j = lo; j < hi; j++) {
      dgamma[j] += dyr[j] * ((xr[j] - m) * s);
      dbeta[j] += dyr[j];
    }
  }
}

/*
 * layerNormBackward(heap, x, gamma, mean, rstd, dy, dx, dgamma, dbeta, rows, cols): with x̂ = (x −
 * mean)·rstd and g = dy·γ, dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) per row; dγ = Σ_rows dy·x̂ and
 * dβ = Σ_rows dy, summed by threads that split the columns, each over the rows in order (the same
 * sums whatever the thread count).
 */
static napi_value layer_norm_backward(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "layerNormBackward", 11, 10, &c)) return NULL;
  const int64_t rows = c.ints[8], cols = c.ints[9];
  LayerNormArgs a = {0};
  if (!(a.x = heap_span(env, &c, c.ints[0], 4ull * rows * cols)) || !(a.gamma = heap_span(env, &c, c.ints[1], 4ull * cols)) ||
      !(a.mean = heap_span(env, &c, c.ints[2], 4ull * rows)) || !(a.rstd = heap_span(env, &c, c.ints[3], 4ull * rows)) ||
      !(a.dy = heap_span(env, &c, c.ints[4], 4ull * rows * cols)) || !(a.dx = heap_span(env, &c, c.ints[5], 4ull * rows * cols)) ||
      !(a.dgamma = heap_span(env, &c, c.ints[6], 4ull * cols)) || !(a.dbeta = heap_span(env, &c, c.ints[7], 4ull * cols))) return NULL;
  a.rows = rows;
  a.cols = cols;
  const bool big = rows * cols >= 16384;
  parallel_split(rows, 1, big, layer_norm_grad_rows, &a);
  parallel_split(cols, 16, big && cols >= 64, layer_norm_grad_cols, &a);
  return NULL;
}

/* Σ x² over [lo, hi) in double, in eight interleaved partial sums (see sum_f64). */
VECTOR_CLONES static double sum_squares_range(const float* x, int64_t lo, int64_t hi) {
  double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = lo;
  for (; i + 8 <= hi; i += 8)
    for (int k = 0; k < 8; k++) s[k] += (double)x[i + k] * (double)x[i + k];
  for (; i < hi; i++) s[0] += (double)x[i] * (double)x[i];
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

/*
 * sumSquares(heap, xOffset, size) → Σ x² in double (the gradient-clipping norm's one pass per
 * tensor instead of Square + Sum). Threads sum fixed contiguous parts in double, added in order:
 * the same result for the same thread count.
 */
static napi_value sum_squares(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "sumSquares", 3, 2, &c)) return NULL;
  const int64_t size = c.ints[1];
  const float* x;
  if (!(x = heap_span(env, &c, c.ints[0], 4ull * size))) return NULL;
  enum { MAX_PARTS = 256 };
  double partial[MAX_PARTS];
  int parts = size >= 65536 ? omp_get_max_threads() : 1;
  if (parts > MAX_PARTS) parts = MAX_PARTS;
#pragma omp parallel for num_threads(parts) schedule(static)
  for (int p = 0; p < parts; p++) partial[p] = sum_squares_range(x, size * p / parts, size * (p + 1) / parts);
  double total = 0;
  for (int p = 0; p < parts; p++) total += partial[p];
  napi_value result;
  CHECK(napi_create_double(env, total, &result));
  return result;
}

typedef struct {
  const float *x, *bias, *y, *dy;
  float *out, *dbias;
  int64_t rowsPerBatch, cols;
} SoftmaxArgs;

/*
 * e^x for any x ≤ 0, exactly 0 below −87 where exp_nonpositive stops (its clamp would give
 * e^−87 ≈ 1.6e−38): a padded key's weight stays exactly 0, as with the stock kernel's underflow.
 * The test is on the magnitude's bits and the result masked: GCC keeps a float comparison as a
 * branch (it may trap), which stops the loop from vectorizing.
 */
static inline float exp_or_zero(float x) {
  const int32_t keep = -(int32_t)((float_bits(x) & 0x7fffffff) <= 0x42ae0000); /* |x| ≤ 87.0f */
  return bits_float(float_bits(exp_nonpositive(x)) & keep);
}

/*
 * max_j (x[j] + bias[j]), the sums stored in out. The maximum is taken over integer keys that
 * order as the floats do (sign-magnitude to two's complement): a float comparison would stay a
 * branch (see exp_or_zero) and keep the loop scalar. −0 and +0 may swap, which e^(v − max) cannot see.
 */
static inline float add_max(const float* x, const float* bias, float* out, int64_t n) {
  int32_t best = INT32_MIN;
  for (int64_t j = 0; j < n; j++) {
    const float v = x[j] + bias[j];
    out[j] = v;
    const int32_t b = float_bits(v), key = b ^ ((b >> 31) & 0x7fffffff);
    best = key > best ? key : best;
  }
  return bits_float(best ^ ((best >> 31) & 0x7fffffff));
}

/* Batches [lo, hi): each row of x[b] plus bias[b], its softmax into out[b]. */
VECTOR_CLONES static void masked_softmax_batches(const void* ctx, int64_t lo, int64_t hi) {
  const SoftmaxArgs* a = (const SoftmaxArgs*)ctx;
  const int64_t cols = a->cols;
  for (int64_t b = lo; b < hi; b++) {
    const float* bias = a->bias + b * cols;
    for (int64_t r = 0; r < a->rowsPerBatch; r++) {
      const int64_t row = (b * a->rowsPerBatch + r) * cols;
      const float* xr = a->x + row;
      float* yr = a->out + row;
      const float mx = add_max(xr, bias, yr, cols);
      for (int64_t j = 0; j < cols; j++) yr[j] = exp_or_zero(yr[j] - mx);
      const float inv = (float)(1.0 / sum_f64(yr, cols));
      for (int64_t j = 0; j < cols; j++) yr[j] = yr[j] * inv;
    }
  }
}

/*
 * maskedSoftmax(heap, x, bias, out, batches, rowsPerBatch, cols): out[b, r, :] = softmax(x[b, r, :]
 * + bias[b, :]) over the last axis, x [batches, rowsPerBatch, cols] (attention scores, heads × queries
 * rows per text), bias [batches, cols] (the additive key mask): the stock path's broadcast Add and
 * Softmax in one pass. Max in float, e^(v − max) as exp_nonpositive, the row sum in double;
 * threads split the batches.
 */
static napi_value masked_softmax(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "maskedSoftmax", 7, 6, &c)) return NULL;
  const int64_t batches = c.ints[3], rpb = c.ints[4], cols = c.ints[5];
  SoftmaxArgs a = {0};
  if (!(a.x = heap_span(env, &c, c.ints[0], 4ull * batches * rpb * cols)) || !(a.bias = heap_span(env, &c, c.ints[1], 4ull * batches * cols)) ||
      !(a.out = heap_span(env, &c, c.ints[2], 4ull * batches * rpb * cols))) return NULL;
  a.rowsPerBatch = rpb;
  a.cols = cols;
  parallel_batches(batches, rpb * cols, masked_softmax_batches, &a);
  return NULL;
}

/* Batches [lo, hi) of the gradient: dx = y·(dy − Σ dy·y) per row; dbias[b] = Σ over the batch's rows of dx, in row order. */
VECTOR_CLONES static void masked_softmax_grad_batches(const void* ctx, int64_t lo, int64_t hi) {
  const SoftmaxArgs* a = (const SoftmaxArgs*)ctx;
  const int64_t cols = a->cols;
  for (int64_t b = lo; b < hi; b++) {
    float* db = a->dbias + b * cols;
    for (int64_t j = 0; j < cols; j++) db[j] = 0;
    for (int64_t r = 0; r < a->rowsPerBatch; r++) {
      const int64_t row = (b * a->rowsPerBatch + r) * cols;
      const float *yr = a->y + row, *dyr = a->dy + row;
      float* dxr = a->out + row;
      double s[4] = {0, 0, 0, 0};
      int64_t j = 0;
      for (; j + 4 <= cols; j += 4)
        for (int k = 0; k < 4; k++) s[k] += (double)(dyr[j + k] * yr[j + k]);
      for (; j < cols; j++) s[0] += (double)(dyr[j] * yr[j]);
      const float dot = (float)((s[0] + s[1]) + (s[2] + s[3]));
      for (j = 0; j < cols; j++) {
        dxr[j] = yr[j] * (dyr[j] - dot);
        db[j] += dxr[j];
      }
    }
  }
}

/*
 * maskedSoftmaxGrad(heap, y, dy, dx, dbias, batches, rowsPerBatch, cols): the gradients of
 * maskedSoftmax from its output y: dx [batches, rowsPerBatch, cols] and dbias [batches, cols] (the
 * bias is broadcast over the rows, so its gradient sums them).
 */
static napi_value masked_softmax_grad(napi_env env, napi_callback_info info) {
  HeapCall c;
  if (!heap_args(env, info, "maskedSoftmaxGrad", 8, 7, &c)) return NULL;
  const int64_t batches = c.ints[4], rpb = c.ints[5], cols = c.ints[6];
  const uint64_t size = 4ull * batches * rpb * cols;
  SoftmaxArgs a = {0};
  if (!(a.y = heap_span(env, &c, c.ints[0], size)) || !(a.dy = heap_span(env, &c, c.ints[1], size)) || !(a.out = heap_span(env, &c, c.ints[2], size)) ||
      !(a.dbias = heap_span(env, &c, c.ints[3], 4ull * batches * cols))) return NULL;
  a.rowsPerBatch = rpb;
  a.cols = cols;
  parallel_batches(batches, rpb * cols, masked_softmax_grad_batches, &a);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"sgemmBatched", NULL, sgemm_batched, NULL, NULL, NULL, napi_default, NULL},
      {"sumLeading", NULL, sum_leading, NULL, NULL, NULL, napi_default, NULL},
      {"gatherRows", NULL, gather_rows, NULL, NULL, NULL, napi_default, NULL},
      {"sgemm", NULL, sgemm_arrays, NULL, NULL, NULL, napi_default, NULL},
      {"topkInner", NULL, topk_inner, NULL, NULL, NULL, napi_default, NULL},
      {"adamw", NULL, adamw, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"threads", NULL, threads, NULL, NULL, NULL, napi_default, NULL},
      {"axpy", NULL, axpy_f32, NULL, NULL, NULL, napi_default, NULL},
      {"scatterRows", NULL, scatter_rows, NULL, NULL, NULL, napi_default, NULL},
      {"addSame", NULL, add_same, NULL, NULL, NULL, napi_default, NULL},
      {"addRow", NULL, add_row, NULL, NULL, NULL, napi_default, NULL},
      {"swapMiddle", NULL, swap_middle, NULL, NULL, NULL, napi_default, NULL},
      {"geluForward", NULL, gelu_forward, NULL, NULL, NULL, napi_default, NULL},
      {"geluBackward", NULL, gelu_backward, NULL, NULL, NULL, napi_default, NULL},
      {"layerNormForward", NULL, layer_norm_forward, NULL, NULL, NULL, napi_default, NULL},
      {"layerNormBackward", NULL, layer_norm_backward, NULL, NULL, NULL, napi_default, NULL},
      {"sumSquares", NULL, sum_squares, NULL, NULL, NULL, napi_default, NULL},
      {"maskedSoftmax", NULL, masked_softmax, NULL, NULL, NULL, napi_default, NULL},
      {"maskedSoftmaxGrad", NULL, masked_softmax_grad, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
