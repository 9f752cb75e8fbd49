package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.hrmstream.worker.checkpoint.WeightSource;
import io.hrmstream.worker.djl.Scalars;

/**
 * layers.py {@code Attention}: non-causal multi-head self-attention, one fused q/k/v projection whose output
 * columns are [q heads | k heads | v heads], RoPE on q and k, softmax(q·kᵀ / sqrt(head_dim))·v, output projection.
 * The softmax runs in float32.
 *
 * @param qkvProj  [3·heads·head_dim, hidden]
 * @param oProj    [hidden, heads·head_dim]
 * @param numHeads heads (num_key_value_heads equals it in both models)
 * @param headDim  hidden / heads
 */
public record Attention(CastedLinear qkvProj, CastedLinear oProj, int numHeads, int headDim) {

    /** Loads {@code <prefix>qkv_proj.weight} and {@code <prefix>o_proj.weight}. */
    static Attention load(WeightSource source, String prefix, ModelConfig config) {
        int hidden = config.hiddenSize();
        int heads = config.numHeads();
        int headDim = config.headDim();
        return new Attention(
                CastedLinear.load(source, prefix + "qkv_proj.", hidden, 3 * heads * headDim, false),
                CastedLinear.load(source, prefix + "o_proj.", heads * headDim, hidden, false),
                heads, headDim);
    }

    /** The softmax's scale of q·kᵀ, 1/sqrt(head_dim): applied to the queries (with RoPE, inside its tables). */
    static float softmaxScale(int headDim) {
        return (float) (1 / Math.sqrt(headDim));
    }

    /** [B, T, hidden] -> [B, T, hidden]; {@code rope} may be null (no rotary positions). */
    public NDArray forward(NDArray hidden, RotaryEmbedding rope) {
        long b = hidden.getShape().get(0);
        long t = hidden.getShape().get(1);
        int h = numHeads;
        NDArray qkv = qkvProj.forward(hidden).reshape(b, t, 3, h, headDim);      // [B, T, 3, H, D]: q | k | v
        NDArray queryKey = qkv.get(":, :, 0:2");                                 // [B, T, 2, H, D]
        NDArray value = qkv.get(":, :, 2");                                      // [B, T, H, D]
        NDArray scaledQueryKey = rope != null
                ? rope.rotateQueriesAndKeys(queryKey)                            // [B, T, 2, H, D], q·1/sqrt(D)
                : queryKey;
        NDArray q = scaledQueryKey.get(":, :, 0").transpose(0, 2, 1, 3);         // [B, H, T, D]
        if (rope == null) {
            q = q.mul(Scalars.of(q, softmaxScale(headDim)));                     // [B, H, T, D]
        }
        NDArray kTransposed = scaledQueryKey.get(":, :, 1").transpose(0, 2, 3, 1); // [B, H, D, T]
        NDArray v = value.transpose(0, 2, 1, 3);                                 // [B, H, T, D]
        NDArray scores = q.matMul(kTransposed);                                  // [B, H, T, T], scaled
        NDArray weights = scores.toType(DataType.FLOAT32, false).softmax(-1)     // [B, H, T, T]
                .toType(hidden.getDataType(), false);
        NDArray attended = weights.matMul(v)                                     // [B, H, T, D]
                .transpose(0, 2, 1, 3)                                           // [B, T, H, D]
                .reshape(b, t, (long) h * headDim);                              // [B, T, H·D]
        return oProj.forward(attended);                                          // [B, T, hidden]
    }
}
