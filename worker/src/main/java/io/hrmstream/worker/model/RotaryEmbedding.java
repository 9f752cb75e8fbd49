package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * layers.py {@code RotaryEmbedding} and {@code apply_rotary_pos_emb}: the "rotate half" form of RoPE. Its cos/sin
 * tables are non-persistent buffers, rebuilt here rather than loaded. They stay float32; queries and keys are
 * rotated in float32 and cast back, as in the official code.
 *
 * @param cos cos_cached [S+P, head_dim], float32, kept as [S+P, 1, head_dim] to broadcast over the heads
 * @param sin sin_cached, likewise
 */
public record RotaryEmbedding(NDArray cos, NDArray sin) {

    /** The tables for {@code positions} positions: {@code emb = cat(t ⊗ inv_freq, t ⊗ inv_freq)}. */
    static RotaryEmbedding create(NDManager manager, int headDim, int positions, double base) {
        assert headDim % 2 == 0 : "head_dim " + headDim;
        int half = headDim / 2;
        float[] cos = new float[positions * headDim];
        float[] sin = new float[positions * headDim];
        for (int i = 0; i < half; i++) {
            // inv_freq = 1 / base^(arange(0, dim, 2) / dim), in float32 as torch computes it
            float exponent = (float) (2 * i) / headDim;
            float invFreq = 1f / (float) Math.pow(base, exponent);
            for (int t = 0; t < positions; t++) {
                float angle = t * invFreq;                      // torch.outer(t, inv_freq), float32
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                cos[t * headDim + i] = c;
                cos[t * headDim + half + i] = c;
                sin[t * headDim + i] = s;
                sin[t * headDim + half + i] = s;
            }
        }
        Shape shape = new Shape(positions, 1, headDim);
        return new RotaryEmbedding(manager.create(cos, shape), manager.create(sin, shape));
    }

    /** x [B, T, H, D] -> x·cos + rotate_half(x)·sin [B, T, H, D]. */
    public NDArray apply(NDArray x) {
        DataType inputType = x.getDataType();
        long d = x.getShape().get(3);
        assert x.getShape().get(1) == cos.getShape().get(0) && d == cos.getShape().get(2)
                : "x " + x.getShape() + " vs " + cos.getShape();
        NDArray x32 = x.toType(DataType.FLOAT32, false);                            // [B, T, H, D]
        NDArray firstHalf = x32.get("..., 0:" + d / 2);                            // [B, T, H, D/2]
        NDArray secondHalf = x32.get("..., " + d / 2 + ":");                       // [B, T, H, D/2]
        NDArray rotated = secondHalf.neg().concat(firstHalf, 3);                   // [B, T, H, D]: (-x2, x1)
        return x32.mul(cos).add(rotated.mul(sin)).toType(inputType, false);       // [B, T, H, D]·[T, 1, D]
    }
}
