/**
 * Arrays of one slot per entry of an index, lent to a query and given back when it ends: a
 * query at 100,000 entities would otherwise allocate several 100 KB arrays, and make garbage
 * that the young generation's collections then pay for on later keystrokes.
 */
export class Scratch {
  private readonly spareMarks: Uint8Array[] = [];
  private readonly sparePositions: Int32Array[] = [];

  constructor(private readonly size: number) {}

  /** One query's loans: its arrays, all given back by Loan.release(). */
  lend(): Loan {
    return new Loan(this);
  }

  /** A zeroed array of a byte per entry, to give back zeroed. */
  takeMarks(): Uint8Array {
    return this.spareMarks.pop() ?? new Uint8Array(this.size);
  }

  giveMarks(marks: Uint8Array): void {
    // A few kept: a query takes at most four.
    if (this.spareMarks.length >= 4) return;
    marks.fill(0);
    this.spareMarks.push(marks);
  }

  /** An array with room for every entry's position, its contents left as they were. */
  takePositions(): Int32Array {
    return this.sparePositions.pop() ?? new Int32Array(this.size);
  }

  givePositions(positions: Int32Array): void {
    // A query takes at most two.
    if (this.sparePositions.length < 2) this.sparePositions.push(positions);
  }
}

/** The arrays one query took from a Scratch: release() gives them all back. */
export class Loan {
  private readonly marks: Uint8Array[] = [];
  private readonly lists: Int32Array[] = [];

  constructor(private readonly scratch: Scratch) {}

  /** Marks per entry, zeroed. */
  takeMarks(): Uint8Array {
    const marks = this.scratch.takeMarks();
    this.marks.push(marks);
    return marks;
  }

  /** A list of positions, with room for every entry (its contents left as they were). */
  takePositions(): Int32Array {
    const list = this.scratch.takePositions();
    this.lists.push(list);
    return list;
  }

  release(): void {
    for (const marks of this.marks) this.scratch.giveMarks(marks);
    for (const list of this.lists) this.scratch.givePositions(list);
    this.marks.length = 0;
    this.lists.length = 0;
  }
}
