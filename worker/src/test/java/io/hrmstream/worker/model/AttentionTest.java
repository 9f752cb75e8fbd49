package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * {@link Attention} with its rearranged arithmetic (q and k rotated in one pass, rotate_half's sign and the softmax
 * scale folded into the RoPE tables) gives what layers.py writes out step by step: rotate q and k with
 * {@code x·cos + rotate_half(x)·sin}, then {@code softmax(q·kᵀ / sqrt(head_dim))·v}, then the output projection.
 */
class AttentionTest {

    private static final int BATCH = 2, POSITIONS = 7, HEADS = 2, HEAD_DIM = 8, HIDDEN = HEADS * HEAD_DIM;
    private static final double ROPE_THETA = 10000;

    @Test
    void withRotaryPositionsItEqualsTheOfficialFormulaWrittenOut() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Attention attention = randomAttention(manager);
            NDArray hidden = manager.randomNormal(new Shape(BATCH, POSITIONS, HIDDEN));
            RotaryEmbedding rope = RotaryEmbedding.create(manager, HEAD_DIM, POSITIONS, ROPE_THETA);
            assertArrayEquals(officialForward(manager, attention, hidden, true).toFloatArray(),
                    attention.forward(hidden, rope).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void withoutRotaryPositionsItEqualsTheOfficialFormulaWrittenOut() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Attention attention = randomAttention(manager);
            NDArray hidden = manager.randomNormal(new Shape(BATCH, POSITIONS, HIDDEN));
            assertArrayEquals(officialForward(manager, attention, hidden, false).toFloatArray(),
                    attention.forward(hidden, null).toFloatArray(), 1e-5f);
        }
    }

    private static Attention randomAttention(NDManager manager) {
        return new Attention(
                new CastedLinear(manager.randomNormal(new Shape(3 * HIDDEN, HIDDEN)).mul(0.3f), null),
                new CastedLinear(manager.randomNormal(new Shape(HIDDEN, HIDDEN)).mul(0.3f), null),
                HEADS, HEAD_DIM);
    }

    /** layers.py, op by op, with its own cos/sin tables [T, D]. */
    private static NDArray officialForward(NDManager manager, Attention attention, NDArray hidden, boolean rotary) {
        NDArray qkv = attention.qkvProj().forward(hidden).reshape(BATCH, POSITIONS, 3 * HEADS, HEAD_DIM);
        NDArray q = qkv.get(":, :, 0:" + HEADS);
        NDArray k = qkv.get(":, :, " + HEADS + ":" + 2 * HEADS);
        NDArray v = qkv.get(":, :, " + 2 * HEADS + ":");
        if (rotary) {
            float[] cos = new float[POSITIONS * HEAD_DIM];
            float[] sin = new float[POSITIONS * HEAD_DIM];
            for (int t = 0; t < POSITIONS; t++) {
                for (int i = 0; i < HEAD_DIM / 2; i++) {
                    double angle = t / Math.pow(ROPE_THETA, (double) (2 * i) / HEAD_DIM);
                    cos[t * HEAD_DIM + i] = cos[t * HEAD_DIM + HEAD_DIM / 2 + i] = (float) Math.cos(angle);
                    sin[t * HEAD_DIM + i] = sin[t * HEAD_DIM + HEAD_DIM / 2 + i] = (float) Math.sin(angle);
                }
            }
            NDArray cosTable = manager.create(cos, new Shape(POSITIONS, 1, HEAD_DIM));
            NDArray sinTable = manager.create(sin, new Shape(POSITIONS, 1, HEAD_DIM));
            q = q.mul(cosTable).add(rotateHalf(q).mul(sinTable));
            k = k.mul(cosTable).add(rotateHalf(k).mul(sinTable));
        }
        NDArray scores = q.transpose(0, 2, 1, 3).matMul(k.transpose(0, 2, 3, 1)).div(Math.sqrt(HEAD_DIM));
        NDArray attended = scores.softmax(-1).matMul(v.transpose(0, 2, 1, 3))
                .transpose(0, 2, 1, 3).reshape(BATCH, POSITIONS, HIDDEN);
        return attention.oProj().forward(attended);
    }

    /** cat(-x2, x1) over the last axis. */
    private static NDArray rotateHalf(NDArray x) {
        return x.get("..., " + HEAD_DIM / 2 + ":").neg().concat(x.get("..., 0:" + HEAD_DIM / 2), -1);
    }
}
