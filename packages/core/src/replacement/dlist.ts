/**
 * Intrusive doubly linked lists over integer node ids (slots), in the style of the Linux
 * `list_head`: the links live in two `Int32Array`s shared by every list of one policy, so
 * moving a node between lists (ARC's T1 to T2, S3-FIFO's small to main queue) costs a few
 * stores and allocates nothing. A node is in at most one list of a `Links` at a time.
 * Head is the newest (most recently inserted or used) end, tail the oldest.
 */
const NIL = -1;

/**
 * The links of nodes 0..n-1, shared by the lists built on them: `link[2i]` is node i's
 * prev, `link[2i+1]` its next, side by side so one cache line holds both.
 */
export class Links {
  readonly link: Int32Array;
  constructor(n: number) {
    this.link = new Int32Array(2 * n).fill(NIL);
  }
}

/** One list over a `Links`. Preconditions are the caller's: no node is pushed twice. */
export class DList {
  head = NIL;
  tail = NIL;
  size = 0;
  private readonly link: Int32Array;

  constructor(links: Links) {
    this.link = links.link;
  }

  /** Inserts `node` at the head (newest end). */
  pushHead(node: number): void {
    const l = this.link;
    const h = this.head;
    l[2 * node] = NIL;
    l[2 * node + 1] = h;
    if (h === NIL) this.tail = node;
    else l[2 * h] = node;
    this.head = node;
    this.size++;
  }

  /** Inserts `node` at the tail (oldest end). */
  pushTail(node: number): void {
    const l = this.link;
    const t = this.tail;
    l[2 * node + 1] = NIL;
    l[2 * node] = t;
    if (t === NIL) this.head = node;
    else l[2 * t + 1] = node;
    this.tail = node;
    this.size++;
  }

  /** Unlinks `node`, which must be in this list. */
  remove(node: number): void {
    const l = this.link;
    const p = l[2 * node]!;
    const n = l[2 * node + 1]!;
    if (p === NIL) this.head = n;
    else l[2 * p + 1] = n;
    if (n === NIL) this.tail = p;
    else l[2 * n] = p;
    this.size--;
  }

  /** Moves `node` (in this list) to the head. */
  moveToHead(node: number): void {
    if (this.head === node) return;
    const l = this.link;
    // Unlink (node is not the head, so it has a prev).
    const p = l[2 * node]!;
    const n = l[2 * node + 1]!;
    l[2 * p + 1] = n;
    if (n === NIL) this.tail = p;
    else l[2 * n] = p;
    // Relink at the head.
    const h = this.head;
    l[2 * node] = NIL;
    l[2 * node + 1] = h;
    l[2 * h] = node;
    this.head = node;
  }

  /** Inserts `node` just before `at` (on its head side); `at` must be in this list. */
  insertBefore(node: number, at: number): void {
    const l = this.link;
    const p = l[2 * at]!;
    l[2 * node] = p;
    l[2 * node + 1] = at;
    l[2 * at] = node;
    if (p === NIL) this.head = node;
    else l[2 * p + 1] = node;
    this.size++;
  }

  /** Puts `by` (in no list) in the place of `node` (in this list), which leaves the list. */
  replace(node: number, by: number): void {
    const l = this.link;
    const p = l[2 * node]!;
    const n = l[2 * node + 1]!;
    l[2 * by] = p;
    l[2 * by + 1] = n;
    if (p === NIL) this.head = by;
    else l[2 * p + 1] = by;
    if (n === NIL) this.tail = by;
    else l[2 * n] = by;
  }

  /** Removes and returns the tail node, or -1 when empty. */
  popTail(): number {
    const t = this.tail;
    if (t !== NIL) this.remove(t);
    return t;
  }

  /** The node after `node` toward the tail (older), or -1. */
  older(node: number): number {
    return this.link[2 * node + 1]!;
  }

  /** The node before `node` toward the head (newer), or -1. */
  newer(node: number): number {
    return this.link[2 * node]!;
  }
}
