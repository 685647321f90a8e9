/**
 * Copy-on-write (Linux: do_wp_page). After fork both processes map a private page
 * read-only with the COW bit; the first write faults. If other PTEs still map the frame
 * (map count > 1) the page is copied into a new frame that only the writer maps; if the
 * writer is the last sharer it simply gets write permission back, no copy.
 */
import type { Pfn } from "../base/index.js";
import { pteUpdateFlags, pteWrite } from "../hw/entry.js";
import { FRAME_FLAG_LOCKED } from "../hw/frames.js";
import type { AddressSpace } from "../hw/pagetable.js";
import { PTE_COW, PTE_WRITE } from "../hw/pte.js";
import type { Kernel } from "./kernel.js";
import { anonUse, frameFor, outcome, pteFlagsFor, type Resolution, type VmFault } from "./pagein.js";

/**
 * A write to a copy-on-write page. The last sharer (map count 1) takes the frame as is;
 * otherwise the page is copied into a new frame that only this process maps.
 */
export function cowFault(k: Kernel, f: VmFault, old: Pfn): Resolution {
  const { proc, vma, page, addr } = f;
  const s = k.s;
  const ft = k.hw.mem.frameTable;
  const space = proc.space as AddressSpace;
  const vpn = Math.floor(page / k.pageSize);
  if (ft.mapCount[old] === 1) {
    if (s.cacheKey[old] !== -1) {
      // A private file page becomes anonymous memory of its own.
      s.pageCache.delete(s.cacheKey[old] as number);
      s.cacheKey[old] = -1;
      k.rssAdd(proc, "file", -1);
      ft.setUse(old, anonUse(vma), proc.pid);
      k.rssAdd(proc, "anon", 1);
    }
    pteUpdateFlags(k.hw.mem, k.hw.format, addr, PTE_WRITE, PTE_COW);
    k.invlpg(space, page);
    s.counters.cowReuses++;
    if (k.sink !== null) k.emit({ kind: "cow-reuse", pid: proc.pid, vpn, pfn: old });
    return outcome("cow", `was the last sharer of frame ${old}: made it writable without copying`);
  }
  ft.flags[old] = (ft.flags[old] as number) | FRAME_FLAG_LOCKED;
  const pfn = frameFor(k, proc);
  ft.flags[old] = (ft.flags[old] as number) & ~FRAME_FLAG_LOCKED;
  if (pfn === null) return "killed";
  k.hw.mem.copyFrame(pfn, old);
  k.hw.mem.frameTable.setUse(pfn, anonUse(vma), proc.pid);
  pteWrite(k.hw.mem, k.hw.format, addr, pfn, pteFlagsFor(k, vma, false));
  k.invlpg(space, page);
  k.dropRmap(proc, old, page);
  k.addRmap(proc, pfn, page, addr);
  k.track(pfn, k.pageKey(pfn), true);
  s.counters.cowCopies++;
  if (k.sink !== null) k.emit({ kind: "cow-copy", pid: proc.pid, vpn, from: old, to: pfn });
  return outcome("cow", `copied shared frame ${old} to frame ${pfn} for this process alone`);
}
