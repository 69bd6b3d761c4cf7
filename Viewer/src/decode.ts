// Lines of a DataStream message (CONTRACT §2): main_data holds one entry per line, data_shape_x
// float32 little-endian dB values each; row_index and timestamp_in_milis one per line.
import type { DataStream } from "./gen/pandadatastream_pb.js";

export interface Line {
  /** 0, 1, 2, ... since the job started (live) or since the call started (historic). */
  row: number;
  /** UTC epoch milliseconds of the line's window start. */
  timeMs: number;
  /** First channel of the stream the line belongs to. */
  startChannel: number;
  values: Float32Array;
}

const littleEndianHost = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The float32 little-endian values of one main_data entry, copied out of the message's buffer. */
export function decodeFloat32LE(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`main_data entry of ${bytes.byteLength} bytes is not whole float32 values`);
  const count = bytes.byteLength / 4;
  if (littleEndianHost) {
    // slice() copies into a fresh, aligned buffer whatever the entry's offset in the message.
    return new Float32Array(bytes.slice().buffer, 0, count);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}

/** Splits a message into its lines; a message whose shapes disagree with its arrays is an error. */
export function linesOf(message: DataStream): Line[] {
  const n = message.mainData.length;
  if (message.rowIndex.length !== n || message.timestampInMilis.length !== n)
    throw new Error(`message with ${n} lines has ${message.rowIndex.length} row indexes and ${message.timestampInMilis.length} timestamps`);
  const lines: Line[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const values = decodeFloat32LE(message.mainData[i]);
    if (message.dataShapeX && values.length !== message.dataShapeX)
      throw new Error(`line of ${values.length} values, data_shape_x says ${message.dataShapeX}`);
    lines[i] = { row: message.rowIndex[i], timeMs: Number(message.timestampInMilis[i]), startChannel: message.startChannel, values };
  }
  return lines;
}
