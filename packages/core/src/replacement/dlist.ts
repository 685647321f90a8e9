/**
 * Intrusive doubly linked lists over integer node ids (slots), in the style of the Linux
 * `list_head`: the links live in two `Int32Array`s shared by every list of one policy, so
 * moving a node between lists (ARC's T1 to T2, S3-FIFO's small to main queue) costs a few
 * stores and allocates nothing. A node is in at most one list of a `Links` at a time.
 * Head is the newest (most recently inserted or used) end, tail the oldest.
 */
const NIL = -1;

/** The prev/next arrays for nodes 0..n-1, shared by the lists built on them. */
export class Links {
  readonly prev: Int32Array;
  readonly next: Int32Array;
  constructor(n: number) {
    this.prev = new Int32Array(n).fill(NIL);
    this.next = new Int32Array(n).fill(NIL);
  }
}

/** One list over a `Links`. Preconditions are the caller's: no node is pushed twice. */
export class DList {
  head = NIL;
  tail = NIL;
  size = 0;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;

  constructor(links: Links) {
    this.prev = links.prev;
    this.next = links.next;
  }

  /** Inserts `node` at the head (newest end). */
  pushHead(node: number): void {
    const h = this.head;
    this.prev[node] = NIL;
    this.next[node] = h;
    if (h === NIL) this.tail = node;
    else this.prev[h] = node;
    this.head = node;
    this.size++;
  }

  /** Inserts `node` at the tail (oldest end). */
  pushTail(node: number): void {
    const t = this.tail;
    this.next[node] = NIL;
    this.prev[node] = t;
    if (t === NIL) this.head = node;
    else this.next[t] = node;
    this.tail = node;
    this.size++;
  }

  /** Unlinks `node`, which must be in this list. */
  remove(node: number): void {
    const p = this.prev[node]!;
    const n = this.next[node]!;
    if (p === NIL) this.head = n;
    else this.next[p] = n;
    if (n === NIL) this.tail = p;
    else this.prev[n] = p;
    this.size--;
  }

  /** Moves `node` (in this list) to the head. */
  moveToHead(node: number): void {
    if (this.head === node) return;
    this.remove(node);
    this.pushHead(node);
  }

  /** Removes and returns the tail node, or -1 when empty. */
  popTail(): number {
    const t = this.tail;
    if (t !== NIL) this.remove(t);
    return t;
  }

  /** The node after `node` toward the tail (older), or -1. */
  older(node: number): number {
    return this.next[node]!;
  }

  /** The node before `node` toward the head (newer), or -1. */
  newer(node: number): number {
    return this.prev[node]!;
  }
}
