import { Scratch } from '../../../src/entities/scratch.js';

describe("a search's scratch arrays", () => {
  it('lends marks sized to the index, and takes them back zeroed for the next query', () => {
    const scratch = new Scratch(10);
    const first = scratch.lend();
    const marks = first.takeMarks();
    expect(marks).toHaveLength(10);
    marks[3] = 1;
    first.release();
    const again = scratch.lend().takeMarks();
    expect(again).toBe(marks);
    expect(Array.from(again)).toEqual(new Array(10).fill(0));
  });

  it('gives a query that holds several arrays distinct ones, and reuses them after', () => {
    const scratch = new Scratch(4);
    const loan = scratch.lend();
    const [a, b] = [loan.takeMarks(), loan.takeMarks()];
    const [p, q] = [loan.takePositions(), loan.takePositions()];
    expect(a).not.toBe(b);
    expect(p).not.toBe(q);
    loan.release();
    const next = scratch.lend();
    const marks = [next.takeMarks(), next.takeMarks()];
    const lists = [next.takePositions(), next.takePositions()];
    expect(marks.includes(a) && marks.includes(b)).toBe(true);
    expect(lists.includes(p) && lists.includes(q)).toBe(true);
  });

  it('keeps only a few spares: a burst of loans does not pin memory', () => {
    const scratch = new Scratch(4);
    const loan = scratch.lend();
    const taken = Array.from({ length: 6 }, () => loan.takeMarks());
    loan.release();
    const next = scratch.lend();
    const reused = Array.from({ length: 6 }, () => next.takeMarks()).filter((m) =>
      taken.includes(m),
    );
    expect(reused).toHaveLength(4);
  });
});
