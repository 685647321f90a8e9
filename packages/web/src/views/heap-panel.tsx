import type { HeapView } from "../worker/protocol.js";

const hex = (n: number) => "0x" + n.toString(16);

/**
 * A process's C heap: its blocks in address order, each as wide as its share of the heap
 * (never narrower than a label), header and payload apart; free blocks hatched; freed
 * blocks in memcheck's quarantine marked; pointer variables named on the block they point
 * into; memcheck's messages pinned to their block.
 */
export function HeapPanel({ heap }: { readonly heap: HeapView }) {
  const total = Math.max(
    1,
    heap.blocks.reduce((a, b) => a + b.size, 0),
  );
  return (
    <section class="heap" aria-label={`heap of ${heap.process}`} data-testid="heap">
      <h3>
        Heap of {heap.process} ({heap.policy}): {hex(heap.start)}–{hex(heap.end)}, {heap.blocks.length} blocks
      </h3>
      <div class="heap-bar">
        {heap.blocks.map((b) => {
          const kind = b.free ? "free" : b.user?.freed ? "freed" : "used";
          const header = b.user ? Math.max(0, b.user.addr - b.addr) : b.payload - b.addr;
          return (
            <div
              key={b.addr}
              class={`block ${kind}${b.errors.length ? " error" : ""}${b.mmapped ? " mmapped" : ""}`}
              style={{ flexGrow: b.size / total, flexBasis: "4.5rem" }}
              title={`block at ${hex(b.addr)}: ${b.size} bytes, header ${header} bytes${b.user ? `, the program asked for ${b.user.size}` : ""}`}
            >
              <div class="hdr">hdr {header}</div>
              <div class="body">
                <div class="size">
                  {kind === "free" ? "free" : kind === "freed" ? "freed" : "used"} {b.size}
                </div>
                <div class="addr">{hex(b.user?.addr ?? b.payload)}</div>
                {b.pointedBy.length > 0 && <div class="ptrs">← {b.pointedBy.join(", ")}</div>}
                {b.errors.map((e) => (
                  <div class="err" key={e}>
                    ⚠ {e}
                  </div>
                ))}
              </div>
            </div>
          );
        })}
      </div>
      {heap.vars.length > 0 && (
        <p class="vars">
          Pointers:{" "}
          {heap.vars.map((v) => (
            <span key={v.name} class="var">
              {v.name} ({v.local ? "stack" : "global"} at {hex(v.addr)}) ={" "}
              {v.value < 0 ? "?" : v.value === 0 ? "NULL" : hex(v.value)}
            </span>
          ))}
        </p>
      )}
      {heap.problems.length > 0 && (
        <ul class="problems">
          {heap.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** What the scenario printed so far: /proc views, expect results, memcheck reports. */
export function OutputPanel({ output }: { readonly output: readonly { line: number; text: string }[] }) {
  if (output.length === 0) return null;
  return (
    <details class="output" open>
      <summary>Output ({output.length})</summary>
      <pre data-testid="output">{output.map((o) => `line ${o.line}: ${o.text}`).join("\n")}</pre>
    </details>
  );
}
