/**
 * Intrusive doubly linked lists over integer node ids (slots), in the style of the Linux
 * `list_head`: the links live in two `Int32Array`s shared by every list of one policy, so
 * moving a node between lists (ARC's T1 to T2, S3-FIFO's small to main queue) costs a few
 * stores and allocates nothing. A node is in at most one list of a `Links` at a time.
 * Head is the newest (most recently inserted or used) end, tail the oldest.
 */
const NIL = -1;

/**
 * The links of nodes 0..n-1, shared by the lists built on them. Node i's record is the
 * `stride` int32s from `link[stride * i]`; a list on lane k keeps the node's prev at
 * offset 2k of the record and its next at 2k+1, side by side so one cache line holds
 * both. With the default stride of 2 a node has one lane; a wider record holds a lane per
 * list a node can be in at once, plus room for the owner's own per-node fields (a policy
 * reads them from the same cache line as the links).
 */
export class Links {
  readonly link: Int32Array;
  readonly stride: number;
  constructor(n: number, stride = 2) {
    this.stride = stride;
    this.link = new Int32Array(stride * n).fill(NIL);
  }
}

/** One list over a `Links`. Preconditions are the caller's: no node is pushed twice. */
export class DList {
  head = NIL;
  tail = NIL;
  size = 0;
  private readonly link: Int32Array;
  private readonly stride: number;
  /** Offset of this list's prev link in a node's record. */
  private readonly lane: number;

  /** A list on `lane` (0 unless the records hold several; two lists may share a lane when no node is in both). */
  constructor(links: Links, lane = 0) {
    this.link = links.link;
    this.stride = links.stride;
    this.lane = 2 * lane;
  }

  /** Index of `node`'s prev link (its next link follows). */
  private at(node: number): number {
    return this.stride * node + this.lane;
  }

  /** Inserts `node` at the head (newest end). */
  pushHead(node: number): void {
    const l = this.link;
    const h = this.head;
    l[this.at(node)] = NIL;
    l[this.at(node) + 1] = h;
    if (h === NIL) this.tail = node;
    else l[this.at(h)] = node;
    this.head = node;
    this.size++;
  }

  /** Inserts `node` at the tail (oldest end). */
  pushTail(node: number): void {
    const l = this.link;
    const t = this.tail;
    l[this.at(node) + 1] = NIL;
    l[this.at(node)] = t;
    if (t === NIL) this.head = node;
    else l[this.at(t) + 1] = node;
    this.tail = node;
    this.size++;
  }

  /** Unlinks `node`, which must be in this list. */
  remove(node: number): void {
    const l = this.link;
    const p = l[this.at(node)]!;
    const n = l[this.at(node) + 1]!;
    if (p === NIL) this.head = n;
    else l[this.at(p) + 1] = n;
    if (n === NIL) this.tail = p;
    else l[this.at(n)] = p;
    this.size--;
  }

  /** Moves `node` (in this list) to the head. */
  moveToHead(node: number): void {
    if (this.head === node) return;
    const l = this.link;
    // Unlink (node is not the head, so it has a prev).
    const p = l[this.at(node)]!;
    const n = l[this.at(node) + 1]!;
    l[this.at(p) + 1] = n;
    if (n === NIL) this.tail = p;
    else l[this.at(n)] = p;
    // Relink at the head.
    const h = this.head;
    l[this.at(node)] = NIL;
    l[this.at(node) + 1] = h;
    l[this.at(h)] = node;
    this.head = node;
  }

  /** Inserts `node` just before `at` (on its head side); `at` must be in this list. */
  insertBefore(node: number, at: number): void {
    const l = this.link;
    const p = l[this.at(at)]!;
    l[this.at(node)] = p;
    l[this.at(node) + 1] = at;
    l[this.at(at)] = node;
    if (p === NIL) this.head = node;
    else l[this.at(p) + 1] = node;
    this.size++;
  }

  /** Removes and returns the tail node, or -1 when empty. */
  popTail(): number {
    const t = this.tail;
    if (t !== NIL) this.remove(t);
    return t;
  }

  /** The node after `node` toward the tail (older), or -1. */
  older(node: number): number {
    return this.link[this.at(node) + 1]!;
  }

  /** The node before `node` toward the head (newer), or -1. */
  newer(node: number): number {
    return this.link[this.at(node)]!;
  }
}
