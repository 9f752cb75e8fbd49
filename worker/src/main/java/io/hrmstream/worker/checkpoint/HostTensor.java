package io.hrmstream.worker.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor in Java memory as a file stores it: dtype, shape and row-major little-endian bytes.
 * Files are read into host tensors first so that BF16 and F16 can be widened in Java before anything reaches DJL.
 * <p>
 * The bytes are held as one or more chunks, each a whole number of elements, read in order: a Java array or buffer
 * holds at most 2^31 - 1 bytes, and an official puzzle-embedding table can be larger (ARC-AGI-2's is about 2.3 GB).
 * {@link #toNDArray} moves a large tensor into DJL in pieces of at most {@link #DEFAULT_TRANSFER_ELEMENTS}
 * elements, so no single Java array or direct buffer ever holds the whole of it.
 */
public final class HostTensor {

    /** Elements moved into DJL per piece (256 MiB of float32): below every Java array and buffer limit. */
    public static final int DEFAULT_TRANSFER_ELEMENTS = 1 << 26;

    private final Dtype dtype;
    private final long[] shape;
    private final List<ByteBuffer> chunks;

    /** A tensor whose bytes are one buffer: exactly {@code numel * dtype.bytes()} bytes, little-endian. */
    public HostTensor(Dtype dtype, long[] shape, ByteBuffer data) {
        this(dtype, shape, List.of(data));
    }

    private HostTensor(Dtype dtype, long[] shape, List<ByteBuffer> chunks) {
        this.dtype = dtype;
        this.shape = shape.clone();
        List<ByteBuffer> sliced = new ArrayList<>(chunks.size());
        long total = 0;
        for (ByteBuffer chunk : chunks) {
            if (chunk.remaining() % dtype.bytes() != 0) {
                throw new IllegalArgumentException("a chunk of " + chunk.remaining() + " bytes splits an element of "
                        + dtype);
            }
            total += chunk.remaining();
            sliced.add(chunk.slice().order(ByteOrder.LITTLE_ENDIAN));
        }
        this.chunks = List.copyOf(sliced);
        long expected = numel(shape) * dtype.bytes();
        if (total != expected) {
            throw new IllegalArgumentException("tensor of dtype " + dtype + " and shape " + Arrays.toString(shape)
                    + " needs " + expected + " bytes, got " + total);
        }
    }

    /**
     * A tensor whose bytes are {@code chunks} in order, each a whole number of elements: how a reader holds a
     * tensor larger than one Java buffer.
     */
    public static HostTensor ofChunks(Dtype dtype, long[] shape, List<ByteBuffer> chunks) {
        return new HostTensor(dtype, shape, chunks);
    }

    public static HostTensor ofFloats(long[] shape, float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return new HostTensor(Dtype.F32, shape, buf);
    }

    public static HostTensor ofInts(long[] shape, int[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asIntBuffer().put(values);
        return new HostTensor(Dtype.I32, shape, buf);
    }

    /** A float32 copy of a float NDArray (any float dtype), e.g. to write it to a file. */
    public static HostTensor of(NDArray array) {
        long[] shape = array.getShape().getShape();
        DataType type = array.getDataType();
        if (type == DataType.FLOAT32) {
            return ofFloats(shape, array.toFloatArray());
        }
        if (type == DataType.INT32) {
            return ofInts(shape, array.toIntArray());
        }
        boolean isFloat = switch (type) {
            case FLOAT16, FLOAT64 -> true;
            case INT64, INT8, UINT8, BOOLEAN -> false;
            default -> throw new IllegalArgumentException("cannot store an array of dtype " + type);
        };
        try (NDArray converted = array.toType(isFloat ? DataType.FLOAT32 : DataType.INT32, true)) {
            return isFloat ? ofFloats(shape, converted.toFloatArray()) : ofInts(shape, converted.toIntArray());
        }
    }

    public Dtype dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** The bytes as one buffer; a tensor too large for one ({@link #chunks()} has several) cannot give it. */
    public ByteBuffer data() {
        if (chunks.size() != 1) {
            throw new IllegalStateException(this + " is held in " + chunks.size() + " chunks (" + byteSize()
                    + " bytes); read it through chunks()");
        }
        return chunks.get(0).duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The bytes as chunks in order, each a whole number of elements; one chunk for any tensor under 2 GiB. */
    public List<ByteBuffer> chunks() {
        List<ByteBuffer> out = new ArrayList<>(chunks.size());
        for (ByteBuffer chunk : chunks) {
            out.add(chunk.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        }
        return out;
    }

    public long numel() {
        return numel(shape);
    }

    /** {@code numel * dtype.bytes()}: may exceed what one Java array holds. */
    public long byteSize() {
        return numel() * dtype.bytes();
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The values as float32; F16 and BF16 are widened exactly. */
    public float[] toFloats() {
        return floats(0, elementCount(numel()));
    }

    /** The values as int32; I64 values must fit. */
    public int[] toInts() {
        return ints(0, elementCount(numel()));
    }

    /**
     * An NDArray on {@code manager}'s device: float tensors become {@code floatType} (widened to float32 in Java
     * first), integer tensors int32.
     */
    public NDArray toNDArray(NDManager manager, DataType floatType) {
        return toNDArray(manager, floatType, DEFAULT_TRANSFER_ELEMENTS);
    }

    /**
     * As {@link #toNDArray(NDManager, DataType)}, moving at most {@code transferElements} elements per piece: a
     * larger tensor is written into a flat array range by range, then given its shape.
     */
    NDArray toNDArray(NDManager manager, DataType floatType, int transferElements) {
        if (transferElements < 1) {
            throw new IllegalArgumentException("transferElements must be positive, was " + transferElements);
        }
        long numel = numel();
        Shape s = new Shape(shape);
        DataType target = dtype.isFloatingPoint() ? floatType : DataType.INT32;
        if (numel <= transferElements) {
            return piece(manager, 0, (int) numel, new Shape(shape), target);
        }
        try (NDArray flat = manager.zeros(new Shape(numel), target)) {
            for (long from = 0; from < numel; from += transferElements) {
                int count = (int) Math.min(transferElements, numel - from);
                try (NDArray piece = piece(manager, from, count, new Shape(count), target)) {
                    flat.set(new NDIndex("{}:{}", from, from + count), piece);
                }
            }
            return flat.reshape(s);
        }
    }

    /** Elements [from, from + count) as an array of {@code pieceShape} and dtype {@code target}. */
    private NDArray piece(NDManager manager, long from, int count, Shape pieceShape, DataType target) {
        if (!dtype.isFloatingPoint()) {
            return manager.create(ints(from, count), pieceShape);
        }
        NDArray f32 = manager.create(floats(from, count), pieceShape);
        if (target == DataType.FLOAT32) {
            return f32;
        }
        try (f32) {
            return f32.toType(target, true);
        }
    }

    /** Elements [from, from + count) widened to float32. */
    private float[] floats(long from, int count) {
        float[] out = new float[count];
        int[] at = {0};
        forEachElementBytes(from, count, (buf, offset, n) -> {
            switch (dtype) {
                case F32 -> buf.slice(offset, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, at[0], n);
                case F16 -> {
                    for (int i = 0; i < n; i++) {
                        out[at[0] + i] = halfToFloat(buf.getShort(offset + 2 * i));
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < n; i++) {
                        out[at[0] + i] = Float.intBitsToFloat((buf.getShort(offset + 2 * i) & 0xFFFF) << 16);
                    }
                }
                default -> throw new IllegalStateException("tensor of dtype " + dtype + " holds integers, not floats");
            }
            at[0] += n;
        });
        return out;
    }

    /** Elements [from, from + count) as int32. */
    private int[] ints(long from, int count) {
        int[] out = new int[count];
        int[] at = {0};
        forEachElementBytes(from, count, (buf, offset, n) -> {
            switch (dtype) {
                case I32 -> buf.slice(offset, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out, at[0], n);
                case I64 -> {
                    for (int i = 0; i < n; i++) {
                        out[at[0] + i] = Math.toIntExact(buf.getLong(offset + 8 * i));
                    }
                }
                default -> throw new IllegalStateException("tensor of dtype " + dtype + " holds floats, not integers");
            }
            at[0] += n;
        });
        return out;
    }

    private interface ElementRun {
        /** {@code n} elements of {@code buf} (little-endian) starting at byte {@code offset}. */
        void accept(ByteBuffer buf, int offset, int n);
    }

    /** Visits elements [from, from + count) chunk by chunk. */
    private void forEachElementBytes(long from, int count, ElementRun run) {
        int elem = dtype.bytes();
        long skip = from;
        int left = count;
        for (ByteBuffer chunk : chunks) {
            if (left == 0) {
                break;
            }
            long inChunk = chunk.remaining() / elem;
            if (skip >= inChunk) {
                skip -= inChunk;
                continue;
            }
            int n = (int) Math.min(left, inChunk - skip);
            run.accept(chunk, (int) (skip * elem), n);
            left -= n;
            skip = 0;
        }
    }

    private int elementCount(long numel) {
        if (numel > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(this + " has " + numel + " elements, more than one Java array holds;"
                    + " use toNDArray");
        }
        return (int) numel;
    }

    /** IEEE 754 binary16 to float32 (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {                         // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {                            // zero or subnormal: mantissa * 2^-24
            float v = mantissa * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13)); // rebias 15 -> 127
    }

    @Override
    public String toString() {
        return "HostTensor[" + dtype + " " + Arrays.toString(shape) + "]";
    }
}
