package io.hrmstream.worker.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor in Java memory as a file stores it: dtype, shape and row-major little-endian bytes.
 * Files are read into host tensors first so that BF16 and F16 can be widened in Java before anything reaches DJL.
 *
 * @param dtype element type
 * @param shape dimensions, row-major (C order)
 * @param data  exactly {@code numel * dtype.bytes()} bytes, little-endian
 */
public record HostTensor(Dtype dtype, long[] shape, ByteBuffer data) {

    public HostTensor {
        shape = shape.clone();
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        long expected = numel(shape) * dtype.bytes();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor of dtype " + dtype + " and shape " + Arrays.toString(shape)
                    + " needs " + expected + " bytes, got " + data.remaining());
        }
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

    public long[] shape() {
        return shape.clone();
    }

    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long numel() {
        return numel(shape);
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
        ByteBuffer buf = data();
        float[] out = new float[Math.toIntExact(numel())];
        switch (dtype) {
            case F32 -> buf.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(buf.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((buf.getShort(2 * i) & 0xFFFF) << 16);
                }
            }
            default -> throw new IllegalStateException("tensor of dtype " + dtype + " holds integers, not floats");
        }
        return out;
    }

    /** The values as int32; I64 values must fit. */
    public int[] toInts() {
        ByteBuffer buf = data();
        int[] out = new int[Math.toIntExact(numel())];
        switch (dtype) {
            case I32 -> buf.asIntBuffer().get(out);
            case I64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Math.toIntExact(buf.getLong(8 * i));
                }
            }
            default -> throw new IllegalStateException("tensor of dtype " + dtype + " holds floats, not integers");
        }
        return out;
    }

    /**
     * An NDArray on {@code manager}'s device: float tensors become {@code floatType} (widened to float32 in Java
     * first), integer tensors int32.
     */
    public NDArray toNDArray(NDManager manager, DataType floatType) {
        Shape s = new Shape(shape);
        if (!dtype.isFloatingPoint()) {
            return manager.create(toInts(), s);
        }
        NDArray f32 = manager.create(toFloats(), s);
        if (floatType == DataType.FLOAT32) {
            return f32;
        }
        try (f32) {
            return f32.toType(floatType, true);
        }
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
