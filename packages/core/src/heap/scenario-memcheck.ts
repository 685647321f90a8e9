/**
 * The memcheck side of the `.msim` heap commands: `heap` (choose the allocator, memcheck on
 * or off), `leakcheck`, and the checking put in front of the built-in `read` and `write`.
 */
import type { Token } from "../scenario/lexer.js";
import type { ProcessVerb, VerbAction, VerbParser } from "../scenario/registry.js";
import type { LeakState } from "./leakcheck.js";
import { errorSummaryLine, leakLines, prefixLines } from "./memcheck-format.js";
import { HEAP_POLICIES } from "./registry.js";
import { heapOf, report } from "./scenario-state.js";

const ALL_KINDS: readonly LeakState[] = [
  "definitely lost",
  "indirectly lost",
  "possibly lost",
  "still reachable",
];

export function parseLeakcheck(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 0, 1);
  if (args[0] !== undefined && args[0].text !== "all")
    p.fail(args[0], `expected "all" (show every kind of loss record) or nothing, found "${args[0].text}"`);
  const all = args[0] !== undefined;
  return (ctx) => {
    const h = heapOf(ctx);
    const rep = h.libc.leakCheck(h.roots(), (a) => h.backing.peek64(a));
    const lines = leakLines(h.libc.usage(), rep, all ? { show: ALL_KINDS } : {});
    const shown = rep.records.filter(
      (r) => r.state === "definitely lost" || r.state === "possibly lost",
    ).length;
    const mc = h.libc.memcheck;
    const errors = (mc?.errors.length ?? 0) + shown;
    const contexts = (mc?.contextCount ?? 0) + shown;
    lines.push(errorSummaryLine(errors, contexts));
    ctx.print(prefixLines(ctx.pid, lines).replace(/\n$/, ""));
  };
}

export function parseHeap(args: readonly Token[], p: VerbParser): VerbAction {
  p.arity(args, 1, 2);
  const policy = (args[0] as Token).text;
  if (!HEAP_POLICIES.includes(policy.replace(/-lifo$/, "")))
    p.fail(args[0] as Token, `expected an allocator (${HEAP_POLICIES.join(", ")}), found "${policy}"`);
  let memcheck = true;
  if (args[1] !== undefined) {
    const o = p.option(args[1]);
    if (o?.key !== "memcheck" || (o.value !== "on" && o.value !== "off"))
      p.fail(args[1], `expected memcheck=on or memcheck=off, found "${args[1].text}"`);
    memcheck = o?.value === "on";
  }
  const col = p.verbToken.col;
  return (ctx) => {
    if (!heapOf(ctx).configure({ policy, memcheck }))
      ctx.fail(col, `${ctx.process}'s heap is already in use; choose its allocator before the first malloc`);
  };
}

/** Wraps a built-in access verb so that memcheck checks each heap byte it touches first. */
export function watchAccesses(v: ProcessVerb, access: "read" | "write"): void {
  const inner = v.parse.bind(v);
  v.parse = (args, p) => {
    const act = inner(args, p);
    const a = p.addr(args[0], "an address");
    const len = p.size(args[1], "a length");
    const line = p.line;
    return (ctx) => {
      const h = heapOf(ctx);
      const e = h.libc.checkAccess(ctx.resolve(a), len, access, h.where(line));
      if (e) report(ctx, h, e);
      if (e === null || access === "read") act(ctx);
    };
  };
}
