"""CPython side of bench/gc.bench.ts: the same object-graph shape, timed with gc.collect().

Usage: python3 bench/gc-peer.py N_OBJECTS GARBAGE_FRACTION YOUNG_ROUNDS [WARMUP_ROUNDS]
Prints one JSON object: full-collection seconds (best of three builds) and result, young-collection seconds per round
(mean and median), and the CPU time of both (time.process_time), which a busy machine
disturbs less than wall time.

Shape: instances of a plain class. Live: CHAINS chains of 100 instances linked by .next, each
chain head held by one root list. Garbage: pairs of instances referring to each other.
Young: per round, 700 new instances (70 of them in garbage pairs), then gc.collect(0).
"""
import gc
import json
import sys
import time


class Node:
    pass


def build(n, frac):
    garbage = int(n * frac) // 2 * 2
    live = n - garbage
    chains = live // 100
    roots = []
    for _ in range(chains):
        head = Node()
        cur = head
        for _ in range(99):
            nxt = Node()
            cur.next = nxt
            cur = nxt
        roots.append(head)
    for _ in range(garbage // 2):
        a = Node()
        b = Node()
        a.other = b
        b.other = a
    return roots


def young_round(keep):
    for i in range(630):
        keep.append(Node())
    for _ in range(35):
        a = Node()
        b = Node()
        a.other = b
        b.other = a
    c0 = time.process_time()
    t0 = time.perf_counter()
    n = gc.collect(0)
    t1 = time.perf_counter()
    return t1 - t0, time.process_time() - c0, n


def main():
    n = int(sys.argv[1])
    frac = float(sys.argv[2])
    rounds = int(sys.argv[3])
    warmup = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    gc.disable()
    gc.collect()
    full = full_cpu = float("inf")
    for _ in range(3):  # best of three, as the memsim side
        roots = build(n, frac)
        c0 = time.process_time()
        t0 = time.perf_counter()
        collected = gc.collect()
        full = min(full, time.perf_counter() - t0)
        full_cpu = min(full_cpu, time.process_time() - c0)
        if _ < 2:
            del roots
            gc.collect()
    keep = []
    young = []
    young_cpu = 0.0
    found = 0
    for r in range(warmup + rounds):
        t, cpu, c = young_round(keep)
        if r >= warmup:
            young.append(t)
            young_cpu += cpu
            found += c
    young_sorted = sorted(young)
    print(json.dumps({"full_s": full, "full_cpu_s": full_cpu, "collected": collected,
                      "young_s": sum(young) / len(young), "young_cpu_s": young_cpu / len(young),
                      "young_median_s": young_sorted[len(young) // 2],
                      "young_found": found, "live_roots": len(roots)}))


main()
