import { useEffect, useState } from "preact/hooks";
import type { MachineState, ProcessView, PtNode, WalkLevelView } from "../worker/protocol.js";

const hex = (n: number) => "0x" + n.toString(16);

/** One process: /proc/PID/maps, the current page walk, its pages, and the TLB. */
export function ProcessPanel(props: {
  readonly state: MachineState;
  readonly pid: number;
  readonly onPid: (pid: number) => void;
}) {
  const { state } = props;
  const proc = state.processes.find((p) => p.pid === props.pid) ?? state.processes[0];
  return (
    <section class="process" aria-label="process view">
      <div class="proc-tabs" role="tablist" aria-label="processes">
        {state.processes.map((p) => (
          <button
            type="button"
            role="tab"
            key={p.pid}
            aria-selected={p.pid === proc?.pid}
            onClick={() => props.onPid(p.pid)}
          >
            {p.name} (pid {p.pid}){p.state !== "running" ? ` — ${p.signal ?? p.state}` : ""}
          </button>
        ))}
      </div>
      {proc ? <ProcessDetails proc={proc} state={state} /> : <p class="muted">No process yet.</p>}
    </section>
  );
}

function ProcessDetails({ proc, state }: { proc: ProcessView; state: MachineState }) {
  const faults = Object.entries(proc.faults)
    .map(([k, v]) => `${k} ${v}`)
    .join(" · ");
  return (
    <div class="proc-body">
      <p>
        <strong>{proc.name}</strong> pid {proc.pid}, {proc.state}
        {proc.signal ? ` (${proc.signal})` : ""} · RSS {proc.rssPages} pages · swap {proc.swapPages} pages ·
        faults: {faults}
      </p>
      <h3>/proc/{proc.pid}/maps</h3>
      <pre class="maps" data-testid="maps">
        {proc.maps || "(no mappings)"}
      </pre>
      {state.walk.length > 0 && state.walkPid === proc.pid && <WalkView levels={state.walk} />}
      {proc.tree && (
        <>
          <h3>Page-table tree</h3>
          <ul class="pt-tree" aria-label={`page tables of ${proc.name}`}>
            <TreeNode node={proc.tree} onPath={walkPath(state, proc)} />
          </ul>
        </>
      )}
      <h3>Pages</h3>
      <PageTable proc={proc} />
      <h3>TLB</h3>
      <TlbTable state={state} />
    </div>
  );
}

/** The walk of the current access, revealed one level at a time. */
export function WalkView({ levels }: { readonly levels: readonly WalkLevelView[] }) {
  const [shown, setShown] = useState(0);
  useEffect(() => {
    setShown(0);
    const reduce = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    if (reduce) {
      setShown(levels.length);
      return;
    }
    let n = 0;
    const timer = setInterval(() => {
      n++;
      setShown(n);
      if (n >= levels.length) clearInterval(timer);
    }, 180);
    return () => clearInterval(timer);
  }, [levels]);
  return (
    <section class="walk" aria-label="page walk">
      <h3>Page walk</h3>
      <ol>
        {levels.map((l, i) => (
          <li key={l.level} class={i < shown ? (l.valid ? "level valid" : "level invalid") : "level pending"}>
            <span class="lvl">L{l.level}</span> index {l.index} · entry at {hex(l.entryAddr)} ={" "}
            <code>{l.entry}</code> ·{" "}
            {l.valid
              ? i === levels.length - 1
                ? `→ frame ${l.pfn}`
                : `→ table in frame ${l.pfn}`
              : "not valid: fault"}
            {l.valid && <span class="bits">bits now: {l.bits.join(" ")}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Keys `level:tableFrame:index` of the entries the shown walk read. */
function walkPath(state: MachineState, proc: ProcessView): Set<string> {
  if (state.walkPid !== proc.pid) return new Set();
  return new Set(state.walk.map((l) => `${l.level}:${l.tablePfn}:${l.index}`));
}

/** One table page and its used entries, children indented below. */
function TreeNode({ node, onPath }: { node: PtNode; onPath: Set<string> }) {
  return (
    <li>
      <span class="pt-table">
        L{node.level} table in frame {node.pfn}
      </span>
      <ul>
        {node.entries.map((e) => {
          const hot = onPath.has(`${node.level}:${node.pfn}:${e.index}`);
          return (
            <li key={e.index} class={hot ? "on-walk" : ""}>
              <span class="pt-index">[{e.index}]</span>
              {e.leaf && (
                <span class="pt-leaf">
                  {" "}
                  page {hex(e.leaf.vpn)} →{" "}
                  {e.leaf.pfn >= 0 ? `frame ${e.leaf.pfn}` : `swap slot ${e.leaf.slot}`}{" "}
                  <span class="bits">{e.leaf.bits.join(" ")}</span>
                </span>
              )}
              {e.child && (
                <ul>
                  <TreeNode node={e.child} onPath={onPath} />
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </li>
  );
}

function PageTable({ proc }: { proc: ProcessView }) {
  if (proc.pages.length === 0) return <p class="muted">No page is mapped yet: every access will fault.</p>;
  return (
    <table class="pages" aria-label={`pages of ${proc.name}`}>
      <thead>
        <tr>
          <th>vpn</th>
          <th>frame / swap</th>
          <th>bits</th>
        </tr>
      </thead>
      <tbody>
        {proc.pages.map((p) => (
          <tr key={p.vpn}>
            <td>{hex(p.vpn)}</td>
            <td>{p.pfn >= 0 ? `frame ${p.pfn}` : `swap slot ${p.slot}`}</td>
            <td>{p.bits.join(" ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TlbTable({ state }: { state: MachineState }) {
  if (state.tlb.length === 0) return <p class="muted">The TLB is empty.</p>;
  return (
    <table class="tlb" aria-label="TLB entries">
      <thead>
        <tr>
          <th>entry</th>
          <th>asid</th>
          <th>vpn</th>
          <th>frame</th>
          <th>bits</th>
        </tr>
      </thead>
      <tbody>
        {state.tlb.map((t) => (
          <tr key={t.slot}>
            <td>{t.slot}</td>
            <td>{t.global ? "global" : t.asid}</td>
            <td>{hex(t.vpn)}</td>
            <td>{t.pfn}</td>
            <td>{t.bits.join(" ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
