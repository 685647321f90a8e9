/**
 * `memsim pygc FILE [--events] [--stats] [--process]`: runs a pygc script (a small
 * line-based subset of Python, see docs/python-gc.md) on the simulated CPython 3.11 runtime
 * and prints what its `print(...)` statements print. `--events` adds every refcount and
 * collector event, one per line; `--stats` ends with the gc and pymalloc counters;
 * `--process` keeps the objects in the memory of a simulated process (pymalloc arenas are
 * its mmaps) and ends with its VmSize and VmRSS. A syntax error gives
 * `FILE:LINE:COL: message` and exit 2; a Python exception in the script (NameError,
 * TypeError…) prints `FILE:LINE: Error: message` and exits 1.
 */
import { readFileSync } from "node:fs";
import {
  CallbackSink,
  createMachine,
  formatInputError,
  formatManagedEvent,
  KernelObjectMemory,
  type Machine,
  ProcessHeap,
  PyRuntime,
  parsePygc,
  runPygc,
} from "@memsim/core";
import type { Command } from "commander";
import type { CommandContext, CommandModule } from "../command.js";
import { UsageError } from "../io.js";

interface PygcFlags {
  events?: boolean;
  stats?: boolean;
  process?: boolean;
}

/** A simulated machine with one process, "python", whose memory holds the objects. */
function pythonProcess(): { machine: Machine; pid: number; memory: KernelObjectMemory } {
  const m = createMachine({ frames: 16384 });
  if (!m.ok) throw new UsageError(`pygc: cannot build the machine (${m.problem})`);
  const spawned = m.machine.spawn("python", { text: 65536, data: 16384, bss: 16384, stack: 262144 });
  if (!spawned.ok) throw new UsageError(`pygc: cannot start the python process (${spawned.error})`);
  const heap = new ProcessHeap(m.machine, spawned.value);
  return {
    machine: m.machine,
    pid: spawned.value,
    memory: new KernelObjectMemory(m.machine, spawned.value, heap.libc),
  };
}

function readScript(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`${path}: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

function runScript(ctx: CommandContext, file: string, flags: PygcFlags): void {
  const parsed = parsePygc(readScript(file));
  if (!parsed.ok) throw new UsageError(formatInputError(file, parsed.error));
  const out = (line: string) => ctx.io.out(line + "\n");
  const proc = flags.process ? pythonProcess() : undefined;
  const rt = new PyRuntime({
    ...(flags.events ? { sink: new CallbackSink((e) => out("  " + formatManagedEvent(e))) } : {}),
    ...(proc ? { memory: proc.memory } : {}),
    // As CPython: an exception in __del__ or a callback is printed and ignored.
    unraisableHook: (where, e) => ctx.io.err(`Exception ignored in: ${where}\n${e.message}\n`),
  });
  const result = runPygc(rt, parsed.value, out);
  if (!result.ok) {
    ctx.io.err(
      `${file}:${result.line}: ${result.error.pyType}: ${result.error.message.replace(/^[A-Za-z]+: /, "")}\n`,
    );
    ctx.exitCode = 1;
  }
  if (flags.stats) printStats(rt, out);
  if (proc) {
    const status = proc.machine.procStatus(proc.pid) ?? "";
    const lines = status.split("\n").filter((l) => /^(VmSize|VmRSS|RssAnon):/.test(l));
    out(`process python (pid ${proc.pid}): ${lines.map((l) => l.replace(/\s+/g, " ")).join(", ")}`);
  }
}

function printStats(rt: PyRuntime, out: (line: string) => void): void {
  const [c0, c1, c2] = rt.gc.getCount();
  out(`gc: count=(${c0}, ${c1}, ${c2}) threshold=(${rt.gc.getThreshold().join(", ")})`);
  rt.gc.getStats().forEach((s, g) => {
    out(
      `gc: generation ${g}: collections=${s.collections} collected=${s.collected} uncollectable=${s.uncollectable}`,
    );
  });
  const p = rt.pymalloc.stats();
  out(
    `pymalloc: arenas=${p.arenasCurrent} pools=${p.poolsInUse} blocks=${p.blocksInUse} bytes=${p.bytesInUse} large=${p.largeBlocks} (${p.largeBytes} bytes) resident=${rt.memory.residentBytes()}`,
  );
}

export const pygcCommand: CommandModule = {
  register(program: Command, ctx: CommandContext): void {
    program
      .command("pygc")
      .description("run a pygc script on the simulated CPython 3.11 runtime: refcounts, sizes, gc")
      .argument("<file>", "pygc script (one Python-like statement a line)")
      .option("--events", "print every refcount and collector event")
      .option("--stats", "print the gc and pymalloc counters at the end")
      .option("--process", "keep the objects in a simulated process's memory and print its VmRSS at the end")
      .action((file: string, flags: PygcFlags) => runScript(ctx, file, flags));
  },
};
