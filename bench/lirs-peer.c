/*
 * The C peer for memsim's LIRS in bench/replace.bench.ts: the same policy, with the same
 * choices (Lhirs = max(1, frames / 100); at most `frames` non-resident entries, the oldest
 * dropped first; S pruned to an LIR bottom), written plainly for speed in C. It reads an
 * oracleGeneral file (24-byte records; the uint64 obj_id at byte 4) in 1 MiB chunks and
 * prints {"accesses":N,"misses":M,"seconds":S} (seconds: read + simulate). Run side by
 * side with memsim in the same minute, it shows what this machine allows a compiled
 * simulator of the same algorithm right now, and its miss count must equal memsim's.
 *
 * Pages index flat arrays directly (page numbers below 2^26), so a page is its own node in
 * S and Q: a victim kept as a non-resident entry stays in its place in S with no move.
 * Non-resident entries are dropped oldest first through a FIFO of (page, creation number)
 * pairs; a pair is stale once its page has left S or become an entry again since.
 *
 * Build: gcc -O2 -o lirs-peer lirs-peer.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { RESIDENT = 1, LIR = 2, IN_S = 4, GHOST = 8 };
#define NIL (-1)
#define MAX_PAGES (1u << 26)

/* A doubly linked list over pages: links in per-page arrays, head the newest end. */
typedef struct {
  int32_t *prev, *next;
  int32_t head, tail;
} list;

static list S = {NULL, NULL, NIL, NIL}, Q = {NULL, NULL, NIL, NIL};
static uint8_t *state;
static uint32_t *created; /* a non-resident entry's creation number */
static uint32_t pages;    /* length of the per-page arrays */
static uint64_t frames, lir_limit, lir_count, resident, ghost_count, q_size;
static uint32_t *fifo_page, *fifo_seq; /* the FIFO of non-resident entries, a ring */
static uint64_t fifo_mask, fifo_tail, fifo_head;
static uint32_t next_seq;

static void *grow(void *p, size_t old_n, size_t n, size_t size, int fill) {
  p = realloc(p, n * size);
  if (p == NULL) {
    fprintf(stderr, "lirs-peer: out of memory\n");
    exit(2);
  }
  memset((char *)p + old_n * size, fill, (n - old_n) * size);
  return p;
}

static void cover(uint64_t page) {
  if (page >= MAX_PAGES) {
    fprintf(stderr, "lirs-peer: page %llu is beyond 2^26\n", (unsigned long long)page);
    exit(2);
  }
  if (page < pages) return;
  uint32_t n = pages ? pages : 1u << 16;
  while (n <= page) n *= 2;
  S.prev = grow(S.prev, pages, n, 4, 0xff);
  S.next = grow(S.next, pages, n, 4, 0xff);
  Q.prev = grow(Q.prev, pages, n, 4, 0xff);
  Q.next = grow(Q.next, pages, n, 4, 0xff);
  state = grow(state, pages, n, 1, 0);
  created = grow(created, pages, n, 4, 0);
  pages = n;
}

static void push(list *l, int32_t p) {
  l->prev[p] = NIL;
  l->next[p] = l->head;
  if (l->head == NIL) l->tail = p;
  else l->prev[l->head] = p;
  l->head = p;
}

static void unlink_page(list *l, int32_t p) {
  int32_t a = l->prev[p], b = l->next[p];
  if (a == NIL) l->head = b;
  else l->next[a] = b;
  if (b == NIL) l->tail = a;
  else l->prev[b] = a;
}

static void s_push(int32_t p) {
  push(&S, p);
  state[p] |= IN_S;
}

static void s_remove(int32_t p) {
  unlink_page(&S, p);
  state[p] &= ~IN_S;
}

static void q_push(int32_t p) {
  push(&Q, p);
  q_size++;
}

static void q_remove(int32_t p) {
  unlink_page(&Q, p);
  q_size--;
}

/* Removes HIR entries from the bottom of S until the bottom is LIR. */
static void prune(void) {
  while (S.tail != NIL && !(state[S.tail] & LIR)) {
    int32_t p = S.tail;
    s_remove(p);
    if (state[p] & GHOST) {
      state[p] = 0;
      ghost_count--;
    }
  }
}

static void demote_bottom(void) {
  prune();
  int32_t b = S.tail;
  if (b == NIL) return;
  s_remove(b);
  state[b] &= ~LIR;
  lir_count--;
  q_push(b);
  prune();
}

static void promote(int32_t p) {
  state[p] |= LIR;
  lir_count++;
  if (lir_count > lir_limit) demote_bottom();
}

/* A new non-resident entry for `p` (already in S), dropping the oldest at the cap. */
static void new_ghost(int32_t p) {
  if (ghost_count >= frames) {
    for (;;) {
      uint64_t i = fifo_tail++ & fifo_mask;
      int32_t g = (int32_t)fifo_page[i];
      if ((state[g] & GHOST) && created[g] == fifo_seq[i]) {
        s_remove(g);
        state[g] = 0;
        ghost_count--;
        break;
      }
    }
  }
  if (fifo_head - fifo_tail > fifo_mask) {
    uint64_t n = fifo_mask + 1, live = fifo_head - fifo_tail;
    uint32_t *pg = malloc(2 * n * 4), *sq = malloc(2 * n * 4);
    if (pg == NULL || sq == NULL) exit(2);
    for (uint64_t k = 0; k < live; k++) {
      pg[k] = fifo_page[(fifo_tail + k) & fifo_mask];
      sq[k] = fifo_seq[(fifo_tail + k) & fifo_mask];
    }
    free(fifo_page);
    free(fifo_seq);
    fifo_page = pg;
    fifo_seq = sq;
    fifo_mask = 2 * n - 1;
    fifo_tail = 0;
    fifo_head = live;
  }
  created[p] = next_seq;
  fifo_page[fifo_head & fifo_mask] = (uint32_t)p;
  fifo_seq[fifo_head & fifo_mask] = next_seq++;
  fifo_head++;
  state[p] = IN_S | GHOST;
  ghost_count++;
}

static void evict(void) {
  if (q_size == 0) demote_bottom();
  int32_t v = Q.tail;
  q_remove(v);
  resident--;
  if (state[v] & IN_S) new_ghost(v); /* it stays in S, in place */
  else state[v] = 0;
  prune();
}

/* One reference; returns 1 on a hit. */
static int access_page(int32_t p) {
  uint8_t st = state[p];
  if (st & RESIDENT) {
    if (st & LIR) {
      int bottom = S.tail == p;
      s_remove(p);
      s_push(p);
      if (bottom) prune();
    } else if (st & IN_S) {
      s_remove(p);
      s_push(p);
      q_remove(p);
      promote(p);
    } else {
      s_push(p);
      q_remove(p);
      q_push(p);
    }
    return 1;
  }
  if (resident >= frames) evict();
  resident++;
  st = state[p];
  if (st & GHOST) {
    ghost_count--;
    s_remove(p);
    state[p] = RESIDENT;
    s_push(p);
    promote(p);
  } else if (lir_count < lir_limit) {
    state[p] = RESIDENT | LIR;
    s_push(p);
    lir_count++;
  } else {
    state[p] = RESIDENT;
    s_push(p);
    q_push(p);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: lirs-peer FILE.oracleGeneral.bin FRAMES\n");
    return 2;
  }
  frames = strtoull(argv[2], NULL, 10);
  if (frames < 1) {
    fprintf(stderr, "lirs-peer: FRAMES must be at least 1\n");
    return 2;
  }
  uint64_t hir = frames / 100 > 1 ? frames / 100 : 1;
  lir_limit = frames > hir ? frames - hir : 0;
  fifo_mask = 1023;
  fifo_page = malloc(1024 * 4);
  fifo_seq = malloc(1024 * 4);
  FILE *f = fopen(argv[1], "rb");
  if (f == NULL) {
    perror(argv[1]);
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  enum { RECORD = 24, CHUNK = 43690 * RECORD };
  static unsigned char buf[CHUNK];
  uint64_t accesses = 0, misses = 0;
  size_t got;
  while ((got = fread(buf, 1, CHUNK, f)) > 0) {
    if (got % RECORD != 0) {
      fprintf(stderr, "lirs-peer: %s ends inside a record\n", argv[1]);
      return 2;
    }
    for (size_t off = 0; off < got; off += RECORD) {
      uint64_t id;
      memcpy(&id, buf + off + 4, 8);
      cover(id);
      accesses++;
      misses += !access_page((int32_t)id);
    }
  }
  fclose(f);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("{\"accesses\":%llu,\"misses\":%llu,\"seconds\":%.6f}\n", (unsigned long long)accesses,
         (unsigned long long)misses, s);
  return 0;
}
