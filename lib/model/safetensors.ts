/**
 * The safetensors file format (F32 tensors only): an 8-byte little-endian header length, a JSON
 * header `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?: {k: string}}`, then
 * the raw little-endian data. Readable by the `safetensors` Python package.
 * @module
 */

/** One named float32 tensor. */
export interface NamedTensorData {
  /** Dimensions. */
  shape: number[];
  /** Row-major values (length = product of shape). */
  data: Float32Array;
}

/** Encodes tensors (in the map's order) and string metadata into one safetensors file. */
export function encodeSafetensors(
  tensors: Map<string, NamedTensorData>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    const bytes = t.data.length * 4;
    header[name] = { dtype: "F32", shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((8 + json.length) % 8)) % 8); // align the data to 8 bytes
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of tensors.values()) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/** A decoded file, or why it could not be decoded. */
export type SafetensorsDecoded =
  | { ok: true; tensors: Map<string, NamedTensorData>; metadata: Record<string, string> }
  | { ok: false; message: string };

/** Decodes and validates a safetensors file (F32 only); never throws on bad input. */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsDecoded {
  if (bytes.length < 8) {
    return {
      ok: false,
      message: `file is ${bytes.length} bytes, shorter than the 8-byte header length`,
    };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headLen = Number(view.getBigUint64(0, true));
  if (8 + headLen > bytes.length) {
    return {
      ok: false,
      message: `header claims ${headLen} bytes but the file has ${bytes.length - 8} (truncated?)`,
    };
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headLen)),
    );
  } catch (e) {
    return { ok: false, message: `header is not valid JSON: ${(e as Error).message}` };
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    return { ok: false, message: "header is not a JSON object" };
  }
  const dataStart = 8 + headLen;
  const dataLen = bytes.length - dataStart;
  const tensors = new Map<string, NamedTensorData>();
  let metadata: Record<string, string> = {};
  let end = 0;
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") {
      metadata = entry as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e.dtype !== "F32") {
      return { ok: false, message: `tensor '${name}' has dtype ${String(e.dtype)}, expected F32` };
    }
    const shape = e.shape;
    const offs = e.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      return { ok: false, message: `tensor '${name}' has a bad shape ${JSON.stringify(shape)}` };
    }
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o))) {
      return {
        ok: false,
        message: `tensor '${name}' has bad data_offsets ${JSON.stringify(offs)}`,
      };
    }
    const [b, f] = offs as [number, number];
    const size = (shape as number[]).reduce((a, d) => a * d, 1);
    if (f - b !== size * 4 || b < 0) {
      return {
        ok: false,
        message: `tensor '${name}': offsets [${b}, ${f}] do not hold ${size} float32 values`,
      };
    }
    if (f > dataLen) {
      return {
        ok: false,
        message: `tensor '${name}' ends at byte ${f} but the data has ${dataLen} (truncated?)`,
      };
    }
    end = Math.max(end, f);
    // Copy: the source bytes need not be 4-byte aligned.
    const data = new Float32Array(size);
    new Uint8Array(data.buffer).set(bytes.subarray(dataStart + b, dataStart + f));
    tensors.set(name, { shape: shape as number[], data });
  }
  if (end !== dataLen) {
    return { ok: false, message: `data has ${dataLen} bytes but the tensors cover ${end}` };
  }
  return { ok: true, tensors, metadata };
}
