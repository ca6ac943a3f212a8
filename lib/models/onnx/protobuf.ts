/**
 * A minimal protobuf writer (varints, length-delimited fields, fixed32 floats, packed and unpacked
 * repeated scalars) and the handful of ONNX messages the student export needs, so writing a model
 * takes no protobuf dependency. Field numbers are onnx.proto's (proto2): repeated int64 fields
 * there are not declared packed, so they are written unpacked, the canonical form.
 */

import { littleEndianBytes } from '../../io/endian';

const utf8 = new TextEncoder();

/** Protobuf wire types. */
const VARINT = 0, LEN = 2, FIXED32 = 5;

/**
 * Appends fields to a list of chunks; nested messages are spliced in as chunks, so a large
 * initializer's bytes are copied once, when {@link ProtoWriter.finish} concatenates.
 */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  /** Bytes written so far. */
  length = 0;

  private flushScratch(): void {
    if (!this.scratch.length) return;
    this.chunks.push(Uint8Array.from(this.scratch));
    this.scratch = [];
  }

  private pushBytes(b: Uint8Array): void {
    this.flushScratch();
    this.chunks.push(b);
    this.length += b.length;
  }

  /** A raw varint (no tag). Negative numbers are int64 two's complement: ten bytes. */
  varint(n: number | bigint): this {
    const before = this.scratch.length;
    if (typeof n === 'number' && n >= 0) {
      if (!Number.isSafeInteger(n)) throw new Error(`protobuf varint: ${n} is not a safe integer`);
      // Division, not bit operations: JS bit operators truncate to 32 bits.
      while (n > 0x7f) {
        this.scratch.push((n % 128) | 0x80);
        n = Math.floor(n / 128);
      }
      this.scratch.push(n);
    } else {
      if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new Error(`protobuf varint: ${n} is not a safe integer`);
      let v = BigInt.asUintN(64, BigInt(n));
      while (v > 0x7fn) {
        this.scratch.push(Number(v & 0x7fn) | 0x80);
        v >>= 7n;
      }
      this.scratch.push(Number(v));
    }
    this.length += this.scratch.length - before;
    return this;
  }

  private tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  /** An int32/int64/enum/bool field. */
  int(field: number, n: number | bigint): this {
    return this.tag(field, VARINT).varint(n);
  }

  /** A float field (fixed32, little-endian). */
  float(field: number, x: number): this {
    this.tag(field, FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, x, true);
    this.pushBytes(b);
    return this;
  }

  /** A bytes field. */
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, LEN).varint(b.length);
    this.pushBytes(b);
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, s: string): this {
    return this.bytes(field, utf8.encode(s));
  }

  /** An embedded message field. */
  message(field: number, m: ProtoWriter): this {
    this.tag(field, LEN).varint(m.length);
    m.flushScratch();
    this.flushScratch();
    this.chunks.push(...m.chunks);
    this.length += m.length;
    return this;
  }

  /** A repeated varint field, unpacked (one tag per element). */
  repeatedInt(field: number, values: ReadonlyArray<number | bigint>): this {
    for (const v of values) this.int(field, v);
    return this;
  }

  /** A repeated varint field, packed (one length-delimited run). */
  packedInt(field: number, values: ReadonlyArray<number | bigint>): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.tag(field, LEN).varint(inner.length).splice(inner);
  }

  /** A repeated float field, packed. */
  packedFloat(field: number, values: ArrayLike<number>): this {
    return this.bytes(field, littleEndianBytes(Float32Array.from(values as ArrayLike<number>)));
  }

  private splice(inner: ProtoWriter): this {
    inner.flushScratch();
    this.flushScratch();
    this.chunks.push(...inner.chunks);
    this.length += inner.length;
    return this;
  }

  /** The message's bytes. */
  finish(): Uint8Array {
    this.flushScratch();
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    if (at !== this.length) throw new Error(`protobuf writer: wrote ${at} bytes, counted ${this.length}`);
    return out;
  }
}

// ---- ONNX messages (onnx.proto field numbers) ----

/** TensorProto.DataType values used here. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

/** A constant tensor (graph initializer or attribute value). */
export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array | BigInt64Array;
}

/** A node attribute; the value's JS type picks the AttributeProto type. */
export type OnnxAttribute =
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'tensor'; readonly value: OnnxTensor };

/** One operator application. */
export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name: string;
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
  readonly domain?: string;
}

/** A graph input or output: element type and shape (numbers fixed, strings symbolic). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType: number;
  readonly shape: ReadonlyArray<number | string>;
}

/** A whole graph. */
export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

/** ModelProto header fields. */
export interface OnnxModelMeta {
  readonly irVersion: number;
  readonly opset: number;
  readonly producerName: string;
  readonly producerVersion: string;
}

const ATTR_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

function tensorProto(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter().repeatedInt(1, t.dims);
  const isFloat = t.data instanceof Float32Array;
  w.int(2, isFloat ? ONNX_FLOAT : ONNX_INT64).string(8, t.name);
  return w.bytes(9, littleEndianBytes(t.data));
}

function attributeProto(name: string, a: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  switch (a.kind) {
    case 'float': w.float(2, a.value); break;
    case 'int': w.int(3, a.value); break;
    case 'string': w.string(4, a.value); break;
    case 'tensor': w.message(5, tensorProto(a.value)); break;
    case 'floats': for (const f of a.value) w.float(7, f); break;
    case 'ints': w.repeatedInt(8, a.value); break;
  }
  return w.int(20, ATTR_TYPE[a.kind]);
}

function nodeProto(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.opType);
  for (const [k, a] of Object.entries(n.attributes ?? {})) w.message(5, attributeProto(k, a));
  if (n.domain) w.string(7, n.domain);
  return w;
}

function valueInfoProto(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, v.elemType).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

function graphProto(g: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(1, nodeProto(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, tensorProto(t));
  for (const v of g.inputs) w.message(11, valueInfoProto(v));
  for (const v of g.outputs) w.message(12, valueInfoProto(v));
  return w;
}

/** Serialises a ModelProto (default opset domain only). */
export function encodeOnnxModel(graph: OnnxGraph, meta: OnnxModelMeta): Uint8Array {
  const opset = new ProtoWriter().string(1, '').int(2, meta.opset);
  return new ProtoWriter()
    .int(1, meta.irVersion)
    .string(2, meta.producerName)
    .string(3, meta.producerVersion)
    .message(7, graphProto(graph))
    .message(8, opset)
    .finish();
}
