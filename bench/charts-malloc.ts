/** What glibc's malloc holds in a process, read from its /proc/<pid>/smaps (Linux). */

/** glibc places a thread arena's heap at a multiple of its largest size, 64 MB. */
const ARENA_ALIGN = 64 * 2 ** 20;

/**
 * RSS of glibc's malloc heaps (MB): the main heap (`[heap]`, brk) and the threads' arenas
 * (anonymous mappings starting at a multiple of 64 MB). V8's pages and resvg's (mimalloc)
 * are mmapped apart, unaligned to 64 MB.
 */
export function mallocRssMb(smaps: string): number {
  let kb = 0;
  let counted = false;
  for (const line of smaps.split('\n')) {
    const head = /^([0-9a-f]+)-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (head) {
      const path = head[2]!.trim();
      counted =
        path === '[heap]' || (path === '' && Number.parseInt(head[1]!, 16) % ARENA_ALIGN === 0);
      continue;
    }
    if (counted && line.startsWith('Rss:')) kb += Number(/(\d+)/.exec(line)?.[1] ?? 0);
  }
  return kb / 1024;
}
