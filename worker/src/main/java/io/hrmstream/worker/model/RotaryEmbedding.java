package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * layers.py {@code RotaryEmbedding} and {@code apply_rotary_pos_emb}: the "rotate half" form of RoPE,
 * {@code x·cos + rotate_half(x)·sin} with {@code rotate_half(x) = cat(-x2, x1)}. Its cos/sin tables are
 * non-persistent buffers, rebuilt here rather than loaded, and stay float32; queries and keys are rotated in float32
 * and cast back, as in the official code.
 *
 * <p>Queries and keys are rotated together, in one pass over {@code [B, T, 2, H, D]}, with two rearrangements of
 * the arithmetic that keep the result: the sign of {@code rotate_half} moves into the sin table
 * ({@code cat(-x2, x1)·sin = cat(x2, x1)·cat(-sin, sin)}), and the queries' rows of both tables carry attention's
 * {@code 1/sqrt(head_dim)} (rotation is linear, so {@code (s·q)·kᵀ = s·(q·kᵀ)}). That spares a negation per tensor and
 * a pass over the [B, H, T, T] scores, which are larger than the queries whenever T > D.
 *
 * @param queryKeyCos cos_cached [S+P, head_dim] for [query, key]: [S+P, 2, 1, head_dim] (position, query/key, heads,
 *                    dim), float32, the query row times 1/sqrt(head_dim)
 * @param queryKeySin sin_cached with rotate_half's sign folded in ({@code -sin} on the first half), likewise
 */
public record RotaryEmbedding(NDArray queryKeyCos, NDArray queryKeySin) {

    /** The tables for {@code positions} positions: {@code emb = cat(t ⊗ inv_freq, t ⊗ inv_freq)}. */
    static RotaryEmbedding create(NDManager manager, int headDim, int positions, double base) {
        assert headDim % 2 == 0 : "head_dim " + headDim;
        int half = headDim / 2;
        float queryScale = Attention.softmaxScale(headDim);    // folded into the queries' rows
        float[] queryKeyCos = new float[positions * 2 * headDim];
        float[] queryKeySin = new float[positions * 2 * headDim];
        for (int i = 0; i < half; i++) {
            // inv_freq = 1 / base^(arange(0, dim, 2) / dim), in float32 as torch computes it
            float exponent = (float) (2 * i) / headDim;
            float invFreq = 1f / (float) Math.pow(base, exponent);
            for (int t = 0; t < positions; t++) {
                float angle = t * invFreq;                      // torch.outer(t, inv_freq), float32
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
                int query = t * 2 * headDim;
                int key = query + headDim;
                for (int column : new int[] {i, half + i}) {
                    float signedSin = column < half ? -s : s;   // rotate_half's -x2 lands on the first half
                    queryKeyCos[query + column] = c * queryScale;
                    queryKeySin[query + column] = signedSin * queryScale;
                    queryKeyCos[key + column] = c;
                    queryKeySin[key + column] = signedSin;
                }
            }
        }
        Shape table = new Shape(positions, 2, 1, headDim);
        return new RotaryEmbedding(manager.create(queryKeyCos, table), manager.create(queryKeySin, table));
    }

    /**
     * queryKey [B, T, 2, H, D] (queries then keys, as qkv_proj lays them out) -> the rotated queries and keys, the
     * queries also scaled by 1/sqrt(head_dim), so that {@code q·kᵀ} needs no further scaling.
     */
    public NDArray rotateQueriesAndKeys(NDArray queryKey) {
        DataType inputType = queryKey.getDataType();
        long d = queryKey.getShape().get(4);
        assert queryKey.getShape().get(1) == queryKeyCos.getShape().get(0) && queryKey.getShape().get(2) == 2
                && d == queryKeyCos.getShape().get(3) : "queryKey " + queryKey.getShape() + " vs " + queryKeyCos.getShape();
        NDArray x = queryKey.toType(DataType.FLOAT32, false);                       // [B, T, 2, H, D]
        NDArray swapped = x.get("..., " + d / 2 + ":")                             // [B, T, 2, H, D/2]: x2
                .concat(x.get("..., 0:" + d / 2), 4);                              // [B, T, 2, H, D]: (x2, x1)
        return x.mul(queryKeyCos)                                                  // ·[T, 2, 1, D]
                .add(swapped.mul(queryKeySin))                                     // (x2, x1)·(-sin, sin)
                .toType(inputType, false);                                         // [B, T, 2, H, D]
    }
}
