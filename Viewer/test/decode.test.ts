import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { decodeFloat32LE, linesOf } from "../src/decode.js";
import { DataStreamSchema } from "../src/gen/pandadatastream_pb.js";

function float32LE(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return bytes;
}

describe("main_data decoding", () => {
  it("reads float32 little-endian values", () => {
    expect(Array.from(decodeFloat32LE(float32LE([1.5, -120.25, 35.5])))).toEqual([1.5, -120.25, 35.5]);
  });

  it("reads an entry at an odd offset in its buffer", () => {
    const buffer = new Uint8Array(1 + 8);
    buffer.set(float32LE([3.25, -7]), 1);
    expect(Array.from(decodeFloat32LE(buffer.subarray(1)))).toEqual([3.25, -7]);
  });

  it("refuses an entry that is not whole float32 values", () => {
    expect(() => decodeFloat32LE(new Uint8Array(6))).toThrow(/not whole float32/);
  });

  it("splits a wire message into its lines with rows and times", () => {
    const sent = create(DataStreamSchema, {
      startChannel: 12, endChannel: 12, dataShapeX: 3, dataShapeY: 2,
      rowIndex: [7, 8], timestampInMilis: [1_764_000_000_000n, 1_764_000_000_010n],
      mainData: [float32LE([1, 2, 3]), float32LE([4, 5, 6])], globalMaximum: 6, globalMinimum: 1,
    });
    const received = fromBinary(DataStreamSchema, toBinary(DataStreamSchema, sent));
    const lines = linesOf(received);
    expect(lines.map(l => [l.row, l.timeMs, l.startChannel, Array.from(l.values)])).toEqual([
      [7, 1_764_000_000_000, 12, [1, 2, 3]],
      [8, 1_764_000_000_010, 12, [4, 5, 6]],
    ]);
  });

  it("refuses a line whose length disagrees with data_shape_x", () => {
    const message = create(DataStreamSchema, { dataShapeX: 4, rowIndex: [0], timestampInMilis: [0n], mainData: [float32LE([1, 2])] });
    expect(() => linesOf(message)).toThrow(/data_shape_x says 4/);
  });
});
