/**
 * Seeded random number generators. All randomness in the engine comes from one of
 * these, injected by the caller, so the same seed gives the same run everywhere.
 */
export interface Rng {
  /** A float uniformly distributed in [0, 1). */
  random(): number;
  /** An integer uniformly distributed in [0, n). Precondition: n >= 1. */
  below(n: number): number;
  /** The generator's whole state, for snapshots. */
  save(): number[];
  /** Restores a state produced by `save()` of the same kind of generator. */
  load(state: readonly number[]): void;
}

/**
 * The general-purpose generator: xoshiro128** (Blackman and Vigna, 2018), seeded
 * through SplitMix32. Fast, 128 bits of state, no allocation per call.
 */
export class FastRng implements Rng {
  private s = new Uint32Array(4);

  constructor(seed = 1) {
    let x = seed >>> 0;
    // SplitMix32 expands one 32-bit seed into four well-mixed state words.
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /** The next raw 32-bit output. */
  nextU32(): number {
    const s = this.s;
    const s0 = s[0]!;
    const s1 = s[1]!;
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    const s2 = (s[2]! ^ s0) >>> 0;
    const s3 = (s[3]! ^ s1) >>> 0;
    s[1] = s1 ^ s2;
    s[0] = s0 ^ s3;
    s[2] = s2 ^ t;
    s[3] = rotl(s3, 11);
    return result;
  }

  random(): number {
    // 53 bits from two outputs, like genrand_res53.
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  below(n: number): number {
    return Math.floor(this.random() * n);
  }

  save(): number[] {
    return Array.from(this.s);
  }

  load(state: readonly number[]): void {
    for (let i = 0; i < 4; i++) this.s[i] = (state[i] ?? 0) >>> 0;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
