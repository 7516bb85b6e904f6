import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/core/event-queue.js";

describe("EventQueue", () => {
  it("pops events in (time, insertion order) order, whatever the pushes and pops", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constant(-1)), { maxLength: 400 }),
        (ops) => {
          const q = new EventQueue(2); // tiny, so growth is exercised
          const model: { t: number; seq: number }[] = [];
          let seq = 0;
          for (const op of ops) {
            if (op >= 0) {
              q.push(op, op % 7, seq);
              model.push({ t: op, seq: seq++ });
            } else if (model.length > 0) {
              model.sort((a, b) => a.t - b.t || a.seq - b.seq);
              const want = model.shift()!;
              expect(q.pop()).toBe(want.t);
              expect(q.id).toBe(want.seq);
              expect(q.kind).toBe(want.t % 7);
            }
          }
          expect(q.size).toBe(model.length);
          model.sort((a, b) => a.t - b.t || a.seq - b.seq);
          for (const want of model) {
            expect(q.pop()).toBe(want.t);
            expect(q.id).toBe(want.seq);
          }
          expect(q.peekTime()).toBe(Infinity);
        },
      ),
    );
  });

  it("keeps FIFO order across a renumbering of sequence numbers", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(-1)), { maxLength: 300 }), (ops) => {
        const q = new EventQueue(2, 3); // 8 sequence numbers per renumbering
        const model: { t: number; seq: number }[] = [];
        let seq = 0;
        for (const op of ops) {
          if (op >= 0 && q.size < 8) {
            q.push(op, 0, seq);
            model.push({ t: op, seq: seq++ });
          } else if (op < 0 && model.length > 0) {
            model.sort((a, b) => a.t - b.t || a.seq - b.seq);
            const want = model.shift()!;
            expect(q.pop()).toBe(want.t);
            expect(q.id).toBe(want.seq);
          }
        }
      }),
    );
  });

  it("refuses times that are not whole seconds in range", () => {
    expect(() => new EventQueue().push(1.5, 0, 0)).toThrow(/whole number of seconds/);
    expect(() => new EventQueue().push(-1, 0, 0)).toThrow(/whole number of seconds/);
  });

  it("refuses to pop when empty", () => {
    expect(() => new EventQueue().pop()).toThrow(/empty/);
  });
});
