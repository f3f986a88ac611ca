import { mallocRssMb } from '../../../bench/charts-malloc.js';

const mapping = (start: number, end: number, path: string, rssKb: number) =>
  [
    `${start.toString(16)}-${end.toString(16)} rw-p 00000000 00:00 0 ${path}`.trimEnd(),
    `Size:           ${(end - start) / 1024} kB`,
    `Rss:            ${rssKb} kB`,
    'Pss:            1 kB',
  ].join('\n');

describe("the charts bench's reading of glibc's heaps (smaps)", () => {
  it("counts the main heap and 64 MB-aligned arenas, not V8's or mimalloc's mappings", () => {
    const MB = 2 ** 20;
    const smaps = [
      mapping(0x5000000, 0x5000000 + 30 * MB, '[heap]', 20 * 1024),
      mapping(0x7f0000000000, 0x7f0000000000 + 2 * MB, '', 3 * 1024), // an arena (64 MB-aligned)
      mapping(0x7f0004000000 + 4096, 0x7f0004000000 + 4096 + MB, '', 512), // V8 pages: unaligned
      mapping(0x7f0008000000, 0x7f0008000000 + MB, '/usr/lib/libc.so.6', 900), // a file
      mapping(0x7f000c040000, 0x7f000c040000 + MB, '', 256),
    ].join('\n');
    expect(mallocRssMb(smaps)).toBe(23);
  });
});
