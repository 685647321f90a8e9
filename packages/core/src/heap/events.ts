/**
 * Heap events: what the allocator and memcheck decided, for the CLI's event trace, the web
 * lab's heap view and tests. Emitted only when a sink is attached.
 */
export type HeapEvent =
  | { readonly kind: "heap-split"; readonly block: number; readonly size: number; readonly rest: number }
  | { readonly kind: "heap-coalesce"; readonly block: number; readonly size: number }
  | { readonly kind: "heap-sbrk"; readonly delta: number; readonly brk: number }
  | { readonly kind: "heap-mmap"; readonly addr: number; readonly len: number }
  | { readonly kind: "heap-munmap"; readonly addr: number; readonly len: number };
