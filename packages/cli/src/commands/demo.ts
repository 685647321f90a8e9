/**
 * `memsim demo [--format NAME]`: a narrated walk through address translation on a small
 * simulated machine: a TLB miss and the page walk level by level, the TLB fill, a TLB
 * hit, a not-present fault and a protection fault. The narration is built from the
 * hardware's own events; nothing here recomputes what the MMU decided.
 */
import {
  type Access,
  type AddressSpace,
  asAsid,
  CollectingSink,
  createAddressSpace,
  createHardware,
  type Fault,
  FORMAT_PRESETS,
  FRAME_ANON,
  FRAME_FILE,
  type Hardware,
  type HwEvent,
  hex,
  isFormatPreset,
  Memblock,
  mapPage,
  type PageTableFormat,
  PTE_DIRTY,
  PTE_EXEC,
  PTE_READ,
  PTE_USER,
  PTE_WRITE,
  pteFlagNames,
  tablePages,
  vaToIndex,
} from "@memsim/core";
import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command.js";
import { UsageError } from "../io.js";

interface DemoFlags {
  format: string;
}

/** Frames of the demo machine. */
const DEMO_FRAMES = 32;

/** The three pages of the demo: program text, data, and an address never mapped. */
interface DemoLayout {
  readonly text: number;
  readonly data: number;
  readonly hole: number;
}

function layoutFor(f: PageTableFormat): DemoLayout {
  if (f.vaLimit > 2 ** 24) return { text: 0x40_0000, data: 0x60_1000, hole: 0x60_2000 };
  const text = f.vaLimit / 4;
  const data = f.vaLimit / 2 + f.pageSize;
  return { text, data, hole: data + f.pageSize };
}

function describeFormat(f: PageTableFormat): string {
  const bits = f.levelBits.join("+");
  return (
    `page-table format ${f.name}: ${f.levels} level${f.levels > 1 ? "s" : ""} (${f.levelNames.join(", ")}), ` +
    `${bits} index bits + ${f.pageShift} offset bits = ${f.vaBits}-bit addresses, ${f.pteBytes}-byte entries`
  );
}

/** The narration: a list of lines, written by the steps below. */
class Narrator {
  readonly lines: string[] = [];
  constructor(
    readonly hw: Hardware,
    readonly sink: CollectingSink<HwEvent>,
  ) {}

  say(text = ""): void {
    this.lines.push(text);
  }

  addr(n: number): string {
    return n < 0 ? `-${hex(-n)}` : hex(n);
  }

  /** Performs one access and narrates its events. Returns the physical address or null. */
  access(space: AddressSpace, va: number, access: Access): number | null {
    this.sink.clear();
    const t = this.hw.mmu.translate(space, va, access, "user");
    const f = this.hw.format;
    for (const e of this.sink.events) this.event(e, f);
    if (t.kind === "ok") {
      const off = va - Math.floor(va / f.pageSize) * f.pageSize;
      this.say(`  Result: pa = frame ${t.pfn} x ${f.pageSize} + offset ${hex(off)} = ${hex(t.pa)}.`);
      return t.pa;
    }
    return null;
  }

  private event(e: HwEvent, f: PageTableFormat): void {
    switch (e.kind) {
      case "tlb-miss":
        this.say(`  TLB lookup for page ${hex(e.vpn)} (ASID ${e.asid}): miss. The MMU walks the page table.`);
        break;
      case "tlb-hit":
        this.say(
          `  TLB lookup for page ${hex(e.vpn)} (ASID ${e.asid}): hit in slot ${e.slot} (frame ${e.pfn}), no walk.`,
        );
        break;
      case "walk": {
        const name = (f.levelNames[e.level] ?? `L${e.level}`).padEnd(6);
        const target = !e.valid
          ? "not valid"
          : e.level === f.levels - 1
            ? `page in frame ${e.pfn}`
            : `next table in frame ${e.pfn}`;
        this.say(
          `    level ${e.level} ${name} index ${String(e.index).padStart(3)}  entry at pa ${hex(e.entryAddr)} = ${e.entry}  -> ${target}`,
        );
        break;
      }
      case "tlb-fill":
        this.say(
          `  The MMU sets the accessed bit${e.flags & PTE_DIRTY ? " and the dirty bit" : ""} in the entry and caches the translation in TLB slot ${e.slot} (flags ${pteFlagNames(e.flags).join(" ")}).`,
        );
        break;
      case "tlb-evict":
        this.say(`  TLB slot ${e.slot} was full: the entry for page ${hex(e.vpn)} is evicted.`);
        break;
      case "tlb-flush":
        this.say(`  TLB flush (${e.scope}): ${e.entries} entries dropped.`);
        break;
      case "fault":
        this.say(`  Page fault: ${faultSentence(e.fault)}`);
        break;
    }
  }
}

function faultSentence(f: Fault): string {
  switch (f.kind) {
    case "not-present":
      return `not present (the entry at level ${f.level} is not valid). The CPU traps to the kernel, which would now decide: demand-page it in, or send SIGSEGV.`;
    case "protection":
      return `protection violation: the page is present but lacks the ${f.right} right. A TLB hit does not skip this check. The kernel would send SIGSEGV (or copy the page, if it were copy-on-write).`;
    case "non-canonical":
      return "the address is not canonical.";
    case "out-of-range":
      return "the address is beyond the virtual address space.";
  }
}

/** "PML4 index 0, PDPT index 0, PD index 2, PT index 0, offset 0x12". */
function splitAddress(f: PageTableFormat, va: number): string {
  const parts = f.levelNames.map((name, level) => `${name} index ${vaToIndex(f, va, level)}`);
  return [...parts, `offset ${hex(va % f.pageSize)}`].join(", ");
}

function build(format: string): { hw: Hardware; mb: Memblock; space: AddressSpace } {
  const r = createHardware({
    format,
    frames: DEMO_FRAMES,
    tlb: { entries: 8, ways: 2, policy: "lru", asidMode: "tagged" },
  });
  if (!r.ok) throw new UsageError(`demo: ${r.problem}`);
  const hw = r.value;
  const mb = new Memblock(hw.mem);
  const space = createAddressSpace(hw.mem, hw.format, asAsid(1), mb.tableAlloc, 1);
  if (!space) throw new UsageError("demo: not enough frames for a page table");
  return { hw, mb, space };
}

function mapDemo(
  n: Narrator,
  mb: Memblock,
  space: AddressSpace,
  va: number,
  flags: number,
  what: string,
): number {
  const hw = n.hw;
  const pfn = mb.alloc(1, what === "text" ? FRAME_FILE : FRAME_ANON, 1);
  if (pfn === null || mapPage(hw.mem, space, va, pfn, flags, mb.tableAlloc) !== "ok")
    throw new UsageError("demo: not enough frames for the demo pages");
  n.say(
    `    ${n.addr(va).padEnd(10)} -> frame ${String(pfn).padEnd(3)} ${pteFlagNames(flags).join(" ").padEnd(8)} (${what})`,
  );
  return pfn;
}

/** The whole narration for one format, as lines. */
export function demoLines(format: string): string[] {
  const { hw, mb, space } = build(format);
  const sink = new CollectingSink<HwEvent>();
  hw.setSink(sink);
  const n = new Narrator(hw, sink);
  const f = hw.format;
  const at = layoutFor(f);
  const tlb = hw.tlb;
  n.say("memsim demo: address translation on a small simulated machine");
  n.say();
  n.say(`Machine: ${DEMO_FRAMES} frames of ${f.pageSize} bytes of physical memory, ${describeFormat(f)}.`);
  n.say(
    `TLB: ${tlb.entries} entries, ${tlb.ways}-way, ${tlb.policy.toUpperCase()} replacement, entries tagged with ASIDs.`,
  );
  n.say();
  n.say(
    `Step 1. The kernel creates an address space (ASID ${space.asid}); its root table is frame ${space.rootPfn}.`,
  );
  n.say("  It maps two pages and leaves a third unmapped:");
  const writeProtect = f.caps.writeProtect;
  mapDemo(n, mb, space, at.text, PTE_READ | PTE_EXEC | PTE_USER, "text");
  mapDemo(n, mb, space, at.data, PTE_READ | PTE_WRITE | PTE_USER, "data");
  n.say(`    ${n.addr(at.hole).padEnd(10)} -> (nothing)`);
  const tables = tablePages(hw.mem, space);
  n.say(
    `  The page tables live in physical memory: ${tables.length} table page(s), frames ${tables.join(", ")}.`,
  );
  n.say();
  n.say(`Step 2. The program reads ${hex(at.text + 0x12)} (user mode).`);
  n.say(`  The address splits into ${splitAddress(f, at.text + 0x12)}.`);
  n.access(space, at.text + 0x12, "read");
  n.say();
  n.say(`Step 3. It reads ${hex(at.text + 0x1c)}, on the same page.`);
  n.access(space, at.text + 0x1c, "read");
  n.say();
  n.say(`Step 4. It writes ${hex(at.data + 8)} (data page).`);
  n.access(space, at.data + 8, "write");
  n.say();
  n.say(`Step 5. It reads ${hex(at.hole + 4)}, which nothing maps.`);
  n.access(space, at.hole + 4, "read");
  n.say();
  n.say(`Step 6. It writes ${hex(at.text + 0x12)}, into its own (read-only) text.`);
  if (writeProtect) n.access(space, at.text + 0x12, "write");
  else {
    n.say(
      `  Format ${f.name} has no write-protect bit (${f.pteBytes}-byte entries), so every valid page is writable:`,
    );
    n.access(space, at.text + 0x12, "write");
  }
  n.say();
  n.say(
    `Counters: TLB hits ${tlb.hits}, misses ${tlb.misses}, evictions ${tlb.evictions}; page walks ${hw.mmu.walks}, faults ${hw.mmu.faults}.`,
  );
  n.say(`Try another format: memsim demo --format <${FORMAT_PRESETS.join("|")}>`);
  return n.lines;
}

export const demoCommand: CommandModule = {
  register(program: Command, ctx: CommandContext): void {
    program
      .command("demo")
      .description("narrated walk through address translation: TLB miss, page walk, TLB hit, faults")
      .option("--format <name>", `page-table format (${FORMAT_PRESETS.join(", ")})`, "x86-64")
      .action((flags: DemoFlags) => {
        if (!isFormatPreset(flags.format))
          throw new UsageError(
            `demo: unknown format "${flags.format}"; expected one of ${FORMAT_PRESETS.join(", ")}`,
          );
        ctx.io.out(demoLines(flags.format).join("\n") + "\n");
      });
  },
};
