/*
 * The engine benchmark's baseline: a plain single-core greedy decoder of llama2.c checkpoints, the arithmetic of
 * llama2.c's run.c (one token at a time, scalar loops the compiler may vectorize, f32 throughout).
 *
 *   gcc -O3 -march=native -o llama2c_decode llama2c_decode.c -lm
 *   ./llama2c_decode stories260K.bin 256
 *
 * Decodes N tokens greedily from BOS and prints tokens/s over the steps after the first (what `c2c bench-engine`
 * reports as decode) and the first token ids, which equal the engine's greedy ids for the same checkpoint.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    int dim, hidden, layers, heads, kvHeads, vocab, seqLen;
} Config;

typedef struct {
    float *embedding;                   /* [vocab, dim] */
    float *attNorm, *ffnNorm;           /* [layers, dim] */
    float *wq, *wk, *wv, *wo;           /* [layers, out, in] */
    float *w1, *w2, *w3;                /* gate [layers, hidden, dim], down [layers, dim, hidden], up */
    float *finalNorm;                   /* [dim] */
    float *classifier;                  /* [vocab, dim] */
} Weights;

typedef struct {
    float *x, *xb, *xb2, *hb, *hb2, *q, *att, *logits; /* activations of the current token */
    float *keys, *values;                               /* [layers, seqLen, kvDim] */
} State;

static float *take(float **cursor, size_t n) {
    float *p = *cursor;
    *cursor += n;
    return p;
}

static void rmsnorm(float *out, const float *x, const float *w, int n) {
    float ss = 0.0f;
    for (int i = 0; i < n; i++) ss += x[i] * x[i];
    ss = 1.0f / sqrtf(ss / n + 1e-5f);
    for (int i = 0; i < n; i++) out[i] = w[i] * (ss * x[i]);
}

/* out[d] = W[d, n] · x[n] */
static void matmul(float *out, const float *x, const float *w, int n, int d) {
    for (int i = 0; i < d; i++) {
        float sum = 0.0f;
        for (int j = 0; j < n; j++) sum += w[(size_t) i * n + j] * x[j];
        out[i] = sum;
    }
}

static void softmax(float *x, int n) {
    float max = x[0];
    for (int i = 1; i < n; i++) if (x[i] > max) max = x[i];
    float sum = 0.0f;
    for (int i = 0; i < n; i++) { x[i] = expf(x[i] - max); sum += x[i]; }
    for (int i = 0; i < n; i++) x[i] /= sum;
}

/* One token at position pos through the model; logits in s->logits. */
static void forward(const Config *c, const Weights *w, State *s, int token, int pos) {
    int dim = c->dim, headDim = dim / c->heads, kvDim = headDim * c->kvHeads, groups = c->heads / c->kvHeads;
    memcpy(s->x, w->embedding + (size_t) token * dim, dim * sizeof(float));
    for (int l = 0; l < c->layers; l++) {
        float *k = s->keys + ((size_t) l * c->seqLen + pos) * kvDim;
        float *v = s->values + ((size_t) l * c->seqLen + pos) * kvDim;
        rmsnorm(s->xb, s->x, w->attNorm + l * dim, dim);
        matmul(s->q, s->xb, w->wq + (size_t) l * dim * dim, dim, dim);
        matmul(k, s->xb, w->wk + (size_t) l * dim * kvDim, dim, kvDim);
        matmul(v, s->xb, w->wv + (size_t) l * dim * kvDim, dim, kvDim);
        /* RoPE on interleaved pairs (llama2.c's layout) */
        for (int i = 0; i < dim; i += 2) {
            float freq = 1.0f / powf(10000.0f, (float) (i % headDim) / headDim);
            float angle = pos * freq, fcr = cosf(angle), fci = sinf(angle);
            for (int which = 0; which < (i < kvDim ? 2 : 1); which++) {
                float *vec = which == 0 ? s->q : k;
                float a = vec[i], b = vec[i + 1];
                vec[i] = a * fcr - b * fci;
                vec[i + 1] = a * fci + b * fcr;
            }
        }
        for (int h = 0; h < c->heads; h++) {
            const float *q = s->q + h * headDim;
            float *att = s->att + h * c->seqLen;
            int kvOffset = (h / groups) * headDim;
            for (int t = 0; t <= pos; t++) {
                const float *kt = s->keys + ((size_t) l * c->seqLen + t) * kvDim + kvOffset;
                float score = 0.0f;
                for (int i = 0; i < headDim; i++) score += q[i] * kt[i];
                att[t] = score / sqrtf((float) headDim);
            }
            softmax(att, pos + 1);
            float *out = s->xb + h * headDim;
            memset(out, 0, headDim * sizeof(float));
            for (int t = 0; t <= pos; t++) {
                const float *vt = s->values + ((size_t) l * c->seqLen + t) * kvDim + kvOffset;
                for (int i = 0; i < headDim; i++) out[i] += att[t] * vt[i];
            }
        }
        matmul(s->xb2, s->xb, w->wo + (size_t) l * dim * dim, dim, dim);
        for (int i = 0; i < dim; i++) s->x[i] += s->xb2[i];

        rmsnorm(s->xb, s->x, w->ffnNorm + l * dim, dim);
        matmul(s->hb, s->xb, w->w1 + (size_t) l * dim * c->hidden, dim, c->hidden);
        matmul(s->hb2, s->xb, w->w3 + (size_t) l * dim * c->hidden, dim, c->hidden);
        for (int i = 0; i < c->hidden; i++) {
            float gate = s->hb[i];
            s->hb[i] = gate / (1.0f + expf(-gate)) * s->hb2[i];
        }
        matmul(s->xb, s->hb, w->w2 + (size_t) l * c->hidden * dim, c->hidden, dim);
        for (int i = 0; i < dim; i++) s->x[i] += s->xb[i];
    }
    rmsnorm(s->x, s->x, w->finalNorm, dim);
    matmul(s->logits, s->x, w->classifier, dim, c->vocab);
}

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s CHECKPOINT.bin TOKENS\n", argv[0]);
        return 2;
    }
    FILE *file = fopen(argv[1], "rb");
    if (!file) { perror(argv[1]); return 1; }
    Config c;
    if (fread(&c, sizeof(int), 7, file) != 7) { fprintf(stderr, "%s: no llama2.c header\n", argv[1]); return 1; }
    int shared = c.vocab > 0;
    c.vocab = abs(c.vocab);
    fseek(file, 0, SEEK_END);
    long bytes = ftell(file) - 7 * sizeof(int);
    fseek(file, 7 * sizeof(int), SEEK_SET);
    float *data = malloc(bytes);
    if (fread(data, 1, bytes, file) != (size_t) bytes) { fprintf(stderr, "%s: truncated\n", argv[1]); return 1; }
    fclose(file);

    int dim = c.dim, headDim = dim / c.heads, kvDim = headDim * c.kvHeads;
    size_t L = c.layers;
    float *cursor = data;
    Weights w;
    w.embedding = take(&cursor, (size_t) c.vocab * dim);
    w.attNorm = take(&cursor, L * dim);
    w.wq = take(&cursor, L * dim * dim);
    w.wk = take(&cursor, L * dim * kvDim);
    w.wv = take(&cursor, L * dim * kvDim);
    w.wo = take(&cursor, L * dim * dim);
    w.ffnNorm = take(&cursor, L * dim);
    w.w1 = take(&cursor, L * dim * c.hidden);
    w.w2 = take(&cursor, L * c.hidden * dim);
    w.w3 = take(&cursor, L * dim * c.hidden);
    w.finalNorm = take(&cursor, dim);
    take(&cursor, (size_t) c.seqLen * headDim); /* legacy freq_cis_real and freq_cis_imag */
    w.classifier = shared ? w.embedding : cursor;

    State s;
    s.x = calloc(dim, sizeof(float));
    s.xb = calloc(dim, sizeof(float));
    s.xb2 = calloc(dim, sizeof(float));
    s.hb = calloc(c.hidden, sizeof(float));
    s.hb2 = calloc(c.hidden, sizeof(float));
    s.q = calloc(dim, sizeof(float));
    s.att = calloc((size_t) c.heads * c.seqLen, sizeof(float));
    s.logits = calloc(c.vocab, sizeof(float));
    s.keys = calloc(L * c.seqLen * kvDim, sizeof(float));
    s.values = calloc(L * c.seqLen * kvDim, sizeof(float));

    int steps = atoi(argv[2]);
    if (steps < 2 || steps > c.seqLen) { fprintf(stderr, "TOKENS must be in [2, %d]\n", c.seqLen); return 2; }
    int *ids = malloc(steps * sizeof(int));
    int token = 1; /* BOS */
    double start = 0;
    for (int pos = 0; pos < steps; pos++) {
        if (pos == 1) start = seconds();
        forward(&c, &w, &s, token, pos);
        int best = 0;
        for (int i = 1; i < c.vocab; i++) if (s.logits[i] > s.logits[best]) best = i;
        ids[pos] = token = best;
    }
    double elapsed = seconds() - start;
    printf("decode: %.0f tokens/s (%d tokens after the first in %.3f ms)\nids:", (steps - 1) / elapsed, steps - 1,
           elapsed * 1e3);
    for (int i = 0; i < steps && i < 32; i++) printf(" %d", ids[i]);
    printf("\n");
    return 0;
}
