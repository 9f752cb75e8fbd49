package io.hrmstream.worker.checkpoint;

/** Element types of stored tensors, named as the safetensors header names them. */
public enum Dtype {
    F32(4, true),
    F16(2, true),
    /** bfloat16: the upper 16 bits of a float32. DJL's native layer aborts the JVM on it, so it is widened in Java. */
    BF16(2, true),
    I64(8, false),
    I32(4, false);

    private final int bytes;
    private final boolean floatingPoint;

    Dtype(int bytes, boolean floatingPoint) {
        this.bytes = bytes;
        this.floatingPoint = floatingPoint;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The dtype of a safetensors header's {@code "dtype"} field. */
    public static Dtype ofSafetensors(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unsupported tensor dtype '" + name + "' (supported: F32, F16, BF16, I64, I32)");
    }
}
