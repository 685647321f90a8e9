/**
 * Intrusive doubly linked lists over integer node ids (slots), in the style of the Linux
 * `list_head`: the links live in two `Int32Array`s shared by every list of one policy, so
 * moving a node between lists (ARC's T1 to T2, S3-FIFO's small to main queue) costs a few
 * stores and allocates nothing. A node is in at most one list of a `Links` at a time.
 * Head is the newest (most recently inserted or used) end, tail the oldest.
 */
const NIL = -1;

/**
 * The links of nodes 0..n-1, shared by the lists built on them. Node i's record starts at
 * `link[i << shift]`: its prev, then its next, side by side so one cache line holds both.
 * With `withValue`, each record also carries 8 bytes for the owner, a float64 at
 * `value[2i + 1]` (16-byte records, four to a cache line): a policy that reads a node's
 * key whenever it touches its links then finds both in one line.
 */
export class Links {
  readonly link: Int32Array;
  /** log2 of the int32 cells per record: 1 (links only) or 2 (links and a value). */
  readonly shift: number;
  /** The records as float64s: `value[2i + 1]` is node i's value (only `withValue`). */
  readonly value: Float64Array;
  constructor(n: number, withValue = false) {
    this.shift = withValue ? 2 : 1;
    const buffer = new ArrayBuffer((4 << this.shift) * n);
    this.link = new Int32Array(buffer);
    for (let i = 0; i < n; i++) {
      this.link[i << this.shift] = NIL;
      this.link[(i << this.shift) + 1] = NIL;
    }
    this.value = withValue ? new Float64Array(buffer) : new Float64Array(0);
  }
}

/** One list over a `Links`. Preconditions are the caller's: no node is pushed twice. */
export class DList {
  head = NIL;
  tail = NIL;
  size = 0;
  private readonly link: Int32Array;
  private readonly shift: number;

  constructor(links: Links) {
    this.link = links.link;
    this.shift = links.shift;
  }

  /** Inserts `node` at the head (newest end). */
  pushHead(node: number): void {
    const l = this.link;
    const sh = this.shift;
    const h = this.head;
    l[node << sh] = NIL;
    l[(node << sh) + 1] = h;
    if (h === NIL) this.tail = node;
    else l[h << sh] = node;
    this.head = node;
    this.size++;
  }

  /** Inserts `node` at the tail (oldest end). */
  pushTail(node: number): void {
    const l = this.link;
    const sh = this.shift;
    const t = this.tail;
    l[(node << sh) + 1] = NIL;
    l[node << sh] = t;
    if (t === NIL) this.head = node;
    else l[(t << sh) + 1] = node;
    this.tail = node;
    this.size++;
  }

  /** Unlinks `node`, which must be in this list. */
  remove(node: number): void {
    const l = this.link;
    const sh = this.shift;
    const p = l[node << sh]!;
    const n = l[(node << sh) + 1]!;
    if (p === NIL) this.head = n;
    else l[(p << sh) + 1] = n;
    if (n === NIL) this.tail = p;
    else l[n << sh] = p;
    this.size--;
  }

  /** Moves `node` (in this list) to the head. */
  moveToHead(node: number): void {
    if (this.head === node) return;
    const l = this.link;
    const sh = this.shift;
    // Unlink (node is not the head, so it has a prev).
    const p = l[node << sh]!;
    const n = l[(node << sh) + 1]!;
    l[(p << sh) + 1] = n;
    if (n === NIL) this.tail = p;
    else l[n << sh] = p;
    // Relink at the head.
    const h = this.head;
    l[node << sh] = NIL;
    l[(node << sh) + 1] = h;
    l[h << sh] = node;
    this.head = node;
  }

  /** Inserts `node` just before `at` (on its head side); `at` must be in this list. */
  insertBefore(node: number, at: number): void {
    const l = this.link;
    const sh = this.shift;
    const p = l[at << sh]!;
    l[node << sh] = p;
    l[(node << sh) + 1] = at;
    l[at << sh] = node;
    if (p === NIL) this.head = node;
    else l[(p << sh) + 1] = node;
    this.size++;
  }

  /** Puts `by` (in no list) in the place of `node` (in this list), which leaves the list. */
  replace(node: number, by: number): void {
    const l = this.link;
    const sh = this.shift;
    const p = l[node << sh]!;
    const n = l[(node << sh) + 1]!;
    l[by << sh] = p;
    l[(by << sh) + 1] = n;
    if (p === NIL) this.head = by;
    else l[(p << sh) + 1] = by;
    if (n === NIL) this.tail = by;
    else l[n << sh] = by;
  }

  /** Removes and returns the tail node, or -1 when empty. */
  popTail(): number {
    const t = this.tail;
    if (t !== NIL) this.remove(t);
    return t;
  }

  /** The node after `node` toward the tail (older), or -1. */
  older(node: number): number {
    return this.link[(node << this.shift) + 1]!;
  }

  /** The node before `node` toward the head (newer), or -1. */
  newer(node: number): number {
    return this.link[node << this.shift]!;
  }
}
