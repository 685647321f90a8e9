/** The scenario the lab opens on: demand paging, a page fault, a COW copy, a SIGSEGV. */
export const DEFAULT_SCENARIO = `# Demand paging, page faults and copy-on-write, step by step.
# Press → to step, space to play, n to jump to the next breakpoint.
config frames=32 page_size=4k format=x86-64 tlb=8 tlb_ways=2 policy=clock swap=16 asid=on seed=1
spawn A text=8k data=4k bss=8k stack=16k
A read  text+0 16      # the first touch of text: read from the program file
A write bss+0 8k       # two untouched pages: zero-filled on demand
A read  bss+0 8        # now resident: no fault at all
A fork B               # B shares every page with A, copy-on-write
B write bss+0 4        # B writes a shared page: the kernel copies the frame
A write bss+0 4        # A is the page's last user now: no copy needed
B write text+0 1       # text is read-only: SIGSEGV kills B, A goes on
A exit
`;
