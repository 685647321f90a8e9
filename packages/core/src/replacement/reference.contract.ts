/**
 * Plainly written reference implementations of every policy: arrays and `Map`s, linear
 * scans, no cleverness. `differential.test.ts` runs them beside the fast modules on random
 * traces. A frame's index is the engine's slot (the engine fills the lowest free slot first
 * and reuses the victim's slot), so hand- and slot-based tie-breaks line up.
 */
import { FastRng } from "../base/rng.js";

export interface RefPolicy {
  /** One reference; true on a hit. `next` is the key's next-use time (OPT only). */
  access(key: number, write: boolean, next: number): boolean;
  /** Drops `key` if resident (munmap), where the reference models it. */
  unmap?(key: number): void;
}

type Frame = { key: number; r: boolean; m: boolean; last: number; count: number };
const frame = (key: number, write: boolean, now: number): Frame => ({
  key,
  r: false,
  m: write,
  last: now,
  count: 1,
});

/** Shared skeleton: frames in slot order, a victim chooser, and hooks. */
abstract class FrameRef implements RefPolicy {
  protected frames: (Frame | undefined)[] = [];
  protected now = 0;
  constructor(protected readonly cap: number) {}
  access(key: number, write: boolean, next: number): boolean {
    const i = this.frames.findIndex((f) => f?.key === key);
    if (i >= 0) {
      const f = this.frames[i]!;
      if (write) f.m = true;
      this.hit(i, f, write, next);
      this.now++;
      this.after();
      return true;
    }
    let slot = this.frames.length < this.cap ? this.frames.length : this.victim(key);
    if (slot < 0) slot = this.frames.length;
    const f = frame(key, write, this.now);
    this.frames[slot] = f;
    this.insert(slot, f, next);
    this.now++;
    this.after();
    return false;
  }
  protected hit(_i: number, _f: Frame, _w: boolean, _next: number): void {}
  protected insert(_i: number, _f: Frame, _next: number): void {}
  protected after(): void {}
  protected abstract victim(incoming: number): number;
}

/** Ordered-list policies: `order` holds keys, oldest first. */
abstract class ListRef implements RefPolicy {
  protected order: number[] = [];
  constructor(protected readonly cap: number) {}
  access(key: number): boolean {
    const i = this.order.indexOf(key);
    if (i >= 0) {
      this.touch(i);
      return true;
    }
    if (this.order.length >= this.cap) this.order.splice(this.victimIndex(), 1);
    this.order.push(key);
    return false;
  }
  unmap(key: number): void {
    const i = this.order.indexOf(key);
    if (i >= 0) this.order.splice(i, 1);
  }
  protected touch(_i: number): void {}
  protected victimIndex(): number {
    return 0;
  }
}

class FifoRef extends ListRef {}
class LruRef extends ListRef {
  protected override touch(i: number): void {
    this.order.push(...this.order.splice(i, 1));
  }
}
class MruRef extends LruRef {
  protected override victimIndex(): number {
    return this.order.length - 1;
  }
}

class LfuRef extends FrameRef {
  protected override hit(_i: number, f: Frame): void {
    f.count++;
    f.last = this.now;
  }
  protected victim(): number {
    let best = 0;
    this.frames.forEach((f, i) => {
      const b = this.frames[best]!;
      if (f!.count < b.count || (f!.count === b.count && f!.last < b.last)) best = i;
    });
    return best;
  }
}

class RandomRef extends FrameRef {
  private rng: FastRng;
  constructor(cap: number, seed: number) {
    super(cap);
    this.rng = new FastRng(seed);
  }
  protected victim(): number {
    return this.rng.below(this.cap);
  }
}

class OptRef extends FrameRef {
  protected override hit(_i: number, f: Frame, _w: boolean, next: number): void {
    f.last = next;
  }
  protected override insert(_i: number, f: Frame, next: number): void {
    f.last = next;
  }
  protected victim(): number {
    let best = 0;
    this.frames.forEach((f, i) => {
      if (f!.last > this.frames[best]!.last) best = i;
    });
    return best;
  }
}

class ClockRef extends FrameRef {
  private hand = 0;
  protected override hit(_i: number, f: Frame): void {
    f.r = true;
  }
  protected victim(): number {
    while (this.frames[this.hand]!.r) {
      this.frames[this.hand]!.r = false;
      this.hand = (this.hand + 1) % this.cap;
    }
    const v = this.hand;
    this.hand = (this.hand + 1) % this.cap;
    return v;
  }
}

class NruRef extends FrameRef {
  private hand = 0;
  protected override hit(_i: number, f: Frame): void {
    f.r = true;
  }
  protected override insert(_i: number, f: Frame): void {
    f.r = true;
  }
  protected victim(): number {
    for (;;) {
      for (let k = 0; k < this.cap; k++) {
        const i = (this.hand + k) % this.cap;
        const f = this.frames[i]!;
        if (!f.r && !f.m) return this.take(i);
      }
      for (let k = 0; k < this.cap; k++) {
        const i = (this.hand + k) % this.cap;
        const f = this.frames[i]!;
        if (!f.r && f.m) return this.take(i);
        f.r = false;
      }
    }
  }
  private take(i: number): number {
    this.hand = (i + 1) % this.cap;
    return i;
  }
}

class AgingRef extends FrameRef {
  private since = 0;
  constructor(
    cap: number,
    private readonly bits: number,
  ) {
    super(cap);
  }
  protected override hit(_i: number, f: Frame): void {
    f.r = true;
  }
  protected override insert(_i: number, f: Frame): void {
    f.count = 0;
    f.r = true;
  }
  protected override after(): void {
    if (++this.since < this.cap) return;
    this.since = 0;
    for (const f of this.frames) {
      f!.count = Math.floor(f!.count / 2) + (f!.r ? 2 ** (this.bits - 1) : 0);
      f!.r = false;
    }
  }
  protected victim(): number {
    let best = 0;
    const v = (f: Frame) => f.count * 2 + (f.r ? 1 : 0);
    this.frames.forEach((f, i) => {
      if (v(f!) < v(this.frames[best]!)) best = i;
    });
    return best;
  }
}

class WsRef implements RefPolicy {
  private last = new Map<number, number>();
  private now = 0;
  constructor(
    private readonly cap: number,
    private readonly window: number,
  ) {}
  access(key: number): boolean {
    this.now++;
    const hit = this.last.has(key);
    if (!hit && this.last.size >= this.cap) {
      let lru = -1;
      let t = Number.POSITIVE_INFINITY;
      for (const [k, u] of this.last) if (u < t) [lru, t] = [k, u];
      this.last.delete(lru);
    }
    this.last.set(key, this.now);
    for (const [k, u] of [...this.last]) if (u <= this.now - this.window) this.last.delete(k);
    return hit;
  }
}

class WsClockRef extends FrameRef {
  private hand = 0;
  constructor(
    cap: number,
    private readonly window: number,
  ) {
    super(cap);
  }
  protected override hit(_i: number, f: Frame): void {
    f.r = true;
  }
  protected override insert(_i: number, f: Frame): void {
    f.r = true;
    f.last = this.now + 1;
  }
  protected victim(): number {
    for (let step = 0; step < 2 * this.cap; step++) {
      const i = this.hand;
      this.hand = (this.hand + 1) % this.cap;
      const f = this.frames[i]!;
      if (f.r) {
        f.r = false;
        f.last = this.now;
      } else if (this.now - f.last > this.window) {
        if (!f.m) return this.take(i);
        f.m = false;
      }
    }
    let best = 0;
    this.frames.forEach((f, i) => {
      if (f!.last < this.frames[best]!.last) best = i;
    });
    return this.take(best);
  }
  private take(i: number): number {
    this.hand = (i + 1) % this.cap;
    return i;
  }
}

class ArcRef implements RefPolicy {
  // Each list oldest (LRU) first.
  private t1: number[] = [];
  private t2: number[] = [];
  private b1: number[] = [];
  private b2: number[] = [];
  private p = 0;
  constructor(private readonly c: number) {}
  access(x: number): boolean {
    const { c } = this;
    if (this.t1.includes(x) || this.t2.includes(x)) {
      this.drop(this.t1, x);
      this.drop(this.t2, x);
      this.t2.push(x);
      return true;
    }
    const full = this.t1.length + this.t2.length >= c;
    if (this.b1.includes(x)) {
      this.p = Math.min(c, this.p + Math.max(1, Math.floor(this.b2.length / this.b1.length)));
      if (full) this.replace(false);
      this.drop(this.b1, x);
      this.t2.push(x);
    } else if (this.b2.includes(x)) {
      this.p = Math.max(0, this.p - Math.max(1, Math.floor(this.b1.length / this.b2.length)));
      if (full) this.replace(true);
      this.drop(this.b2, x);
      this.t2.push(x);
    } else {
      const l1 = this.t1.length + this.b1.length;
      const total = l1 + this.t2.length + this.b2.length;
      if (full) {
        if (l1 >= c) {
          if (this.t1.length < c) {
            this.b1.shift();
            this.replace(false);
          } else this.t1.shift();
        } else {
          if (total >= 2 * c) this.b2.shift();
          this.replace(false);
        }
      } else if (l1 >= c) this.b1.shift();
      else if (total >= 2 * c) this.b2.shift();
      this.t1.push(x);
    }
    return false;
  }
  private replace(inB2: boolean): void {
    const t1 = this.t1.length;
    if (t1 > 0 && (t1 > this.p || (inB2 && t1 === this.p) || this.t2.length === 0))
      this.b1.push(this.t1.shift()!);
    else this.b2.push(this.t2.shift()!);
    if (this.b1.length > this.c) this.b1.shift();
    if (this.b2.length > this.c) this.b2.shift();
  }
  private drop(list: number[], x: number): void {
    const i = list.indexOf(x);
    if (i >= 0) list.splice(i, 1);
  }
}

class TwoQRef implements RefPolicy {
  private a1in: number[] = [];
  private am: number[] = [];
  private a1out: number[] = [];
  constructor(private readonly c: number) {}
  access(x: number): boolean {
    const kin = Math.max(1, Math.floor(this.c / 4));
    const kout = Math.max(1, Math.floor(this.c / 2));
    if (this.am.includes(x)) {
      this.am.splice(this.am.indexOf(x), 1);
      this.am.push(x);
      return true;
    }
    if (this.a1in.includes(x)) return true;
    if (this.a1in.length + this.am.length >= this.c) {
      if (this.a1in.length > kin || this.am.length === 0) {
        this.a1out.push(this.a1in.shift()!);
        if (this.a1out.length > kout) this.a1out.shift();
      } else this.am.shift();
    }
    const g = this.a1out.indexOf(x);
    if (g >= 0) {
      this.a1out.splice(g, 1);
      this.am.push(x);
    } else this.a1in.push(x);
    return false;
  }
}

class SieveRef implements RefPolicy {
  private q: { key: number; visited: boolean }[] = [];
  private hand: number | null = null;
  constructor(private readonly c: number) {}
  access(x: number): boolean {
    const e = this.q.find((o) => o.key === x);
    if (e) {
      e.visited = true;
      return true;
    }
    if (this.q.length >= this.c) {
      let i = this.hand ?? 0;
      while (this.q[i]!.visited) {
        this.q[i]!.visited = false;
        i = i + 1 === this.q.length ? 0 : i + 1;
      }
      this.q.splice(i, 1);
      this.hand = i < this.q.length ? i : null;
    }
    this.q.push({ key: x, visited: false });
    return false;
  }
  unmap(x: number): void {
    const i = this.q.findIndex((o) => o.key === x);
    if (i < 0) return;
    this.q.splice(i, 1);
    // The hand moves on to the next newer page, or back to the oldest past the newest.
    if (this.hand !== null && i < this.hand) this.hand--;
    if (this.hand !== null && this.hand >= this.q.length) this.hand = null;
  }
}

class S3FifoRef implements RefPolicy {
  private s: number[] = [];
  private m: number[] = [];
  private g: number[] = [];
  private freq = new Map<number, number>();
  constructor(private readonly c: number) {}
  access(x: number): boolean {
    const small = Math.max(1, Math.floor(this.c / 10));
    if (this.s.includes(x) || this.m.includes(x)) {
      this.freq.set(x, Math.min(3, this.freq.get(x)! + 1));
      return true;
    }
    if (this.s.length + this.m.length >= this.c) this.evict(small);
    this.freq.set(x, 0);
    const gi = this.g.indexOf(x);
    if (gi >= 0) {
      this.g.splice(gi, 1);
      this.m.push(x);
    } else this.s.push(x);
    return false;
  }
  private evict(small: number): void {
    for (;;) {
      if (this.s.length >= small || this.m.length === 0) {
        const t = this.s.shift()!;
        if (this.freq.get(t) === 0) {
          this.g.push(t);
          if (this.g.length > Math.max(1, this.c - small)) this.g.shift();
          return;
        }
        this.freq.set(t, 0);
        this.m.push(t);
      } else {
        const t = this.m.shift()!;
        const f = this.freq.get(t)!;
        if (f === 0) return;
        this.freq.set(t, f - 1);
        this.m.push(t);
      }
    }
  }
}

class LirsRef implements RefPolicy {
  /** Stack S, bottom first. */
  private s: number[] = [];
  /** Queue Q of resident HIR pages, front (next victim) first. */
  private q: number[] = [];
  private lir = new Set<number>();
  private resident = new Set<number>();
  /** Non-resident HIR pages in S, oldest created first. */
  private ghosts: number[] = [];
  constructor(private readonly c: number) {}
  access(x: number): boolean {
    const lirLimit = Math.max(0, this.c - Math.max(1, Math.floor(this.c / 100)));
    const inS = this.s.includes(x);
    if (this.resident.has(x)) {
      if (this.lir.has(x)) {
        this.toTop(x);
        this.prune();
      } else if (inS) {
        this.toTop(x);
        this.q.splice(this.q.indexOf(x), 1);
        this.promote(x, lirLimit);
      } else {
        this.s.push(x);
        this.q.splice(this.q.indexOf(x), 1);
        this.q.push(x);
      }
      return true;
    }
    if (this.resident.size >= this.c) this.evict();
    this.resident.add(x);
    const gi = this.ghosts.indexOf(x);
    if (gi >= 0) {
      this.ghosts.splice(gi, 1);
      this.toTop(x);
      this.promote(x, lirLimit);
    } else if (this.lir.size < lirLimit) {
      this.s.push(x);
      this.lir.add(x);
    } else {
      this.s.push(x);
      this.q.push(x);
    }
    return false;
  }
  private evict(): void {
    if (this.q.length === 0) this.demote();
    const v = this.q.shift()!;
    this.resident.delete(v);
    if (this.s.includes(v)) {
      if (this.ghosts.length >= this.c) {
        const old = this.ghosts.shift()!;
        this.s.splice(this.s.indexOf(old), 1);
      }
      this.ghosts.push(v);
    }
    this.prune();
  }
  private promote(x: number, lirLimit: number): void {
    this.lir.add(x);
    if (this.lir.size > lirLimit) this.demote();
  }
  private demote(): void {
    this.prune();
    const b = this.s.shift();
    if (b === undefined) return;
    this.lir.delete(b);
    this.q.push(b);
    this.prune();
  }
  private prune(): void {
    while (this.s.length > 0 && !this.lir.has(this.s[0]!)) {
      const e = this.s.shift()!;
      const gi = this.ghosts.indexOf(e);
      if (gi >= 0) this.ghosts.splice(gi, 1);
    }
  }
  private toTop(x: number): void {
    this.s.splice(this.s.indexOf(x), 1);
    this.s.push(x);
  }
}

/** The reference implementation of `name` with the options the tests use. */
export function referencePolicy(
  name: string,
  cap: number,
  opts: { seed: number; window: number },
): RefPolicy {
  switch (name) {
    case "fifo":
      return new FifoRef(cap);
    case "lru":
      return new LruRef(cap);
    case "mru":
      return new MruRef(cap);
    case "lfu":
      return new LfuRef(cap);
    case "random":
      return new RandomRef(cap, opts.seed);
    case "opt":
      return new OptRef(cap);
    case "clock":
      return new ClockRef(cap);
    case "nru":
      return new NruRef(cap);
    case "aging":
      return new AgingRef(cap, 8);
    case "ws":
      return new WsRef(cap, opts.window);
    case "wsclock":
      return new WsClockRef(cap, opts.window);
    case "arc":
      return new ArcRef(cap);
    case "2q":
      return new TwoQRef(cap);
    case "lirs":
      return new LirsRef(cap);
    case "sieve":
      return new SieveRef(cap);
    case "s3-fifo":
      return new S3FifoRef(cap);
    default:
      throw new Error(`no reference implementation for ${name}`);
  }
}
