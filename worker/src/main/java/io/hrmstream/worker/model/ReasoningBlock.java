package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import io.hrmstream.worker.checkpoint.WeightSource;
import io.hrmstream.worker.djl.Scopes;
import io.hrmstream.worker.djl.Temporaries;

/**
 * One post-norm transformer block ({@code HierarchicalReasoningModel_ACTV1Block},
 * {@code TinyRecursiveReasoningModel_ACTV1Block}):
 * <pre>
 *   h = rms_norm(h + self_attn(h))        or, TRM mlp_t: the same with a SwiGLU across positions (on hᵀ)
 *   h = rms_norm(h + mlp(h))
 * </pre>
 *
 * @param selfAttn attention, or null when {@code mlpT} mixes positions instead
 * @param mlpT     TRM's SwiGLU over the S+P positions, or null
 * @param mlp      SwiGLU over the hidden features
 * @param norm     the scale-free RMS norm
 */
public record ReasoningBlock(Attention selfAttn, SwiGlu mlpT, SwiGlu mlp, RmsNorm norm) {

    public ReasoningBlock {
        assert (selfAttn == null) != (mlpT == null) : "exactly one of self_attn and mlp_t";
    }

    /** Loads {@code <prefix>self_attn.*} or {@code <prefix>mlp_t.*}, and {@code <prefix>mlp.*}. */
    static ReasoningBlock load(WeightSource source, String prefix, ModelConfig config) {
        boolean mixesPositionsWithMlp = config.architecture() == Architecture.TRM && config.mlpT();
        return new ReasoningBlock(
                mixesPositionsWithMlp ? null : Attention.load(source, prefix + "self_attn.", config),
                mixesPositionsWithMlp ? SwiGlu.load(source, prefix + "mlp_t.", config.stateLength(), config.expansion()) : null,
                SwiGlu.load(source, prefix + "mlp.", config.hiddenSize(), config.expansion()),
                new RmsNorm((float) config.rmsNormEps()));
    }

    /** [B, S+P, hidden] -> [B, S+P, hidden]; temporaries are freed on return. */
    public NDArray forward(NDArray hidden, RotaryEmbedding rope) {
        return Scopes.keep(() -> {
            NDArray h;
            if (mlpT != null) {
                NDArray acrossPositions = hidden.transpose(0, 2, 1);                      // [B, hidden, S+P]
                h = norm.forward(acrossPositions.add(mlpT.forward(acrossPositions)))    // [B, hidden, S+P]
                        .transpose(0, 2, 1);                                              // [B, S+P, hidden]
            } else {
                h = norm.forward(Temporaries.addInto(selfAttn.forward(hidden, rope), hidden)); // [B, S+P, hidden]
            }
            return norm.forward(Temporaries.addInto(mlp.forward(h), h));                // [B, S+P, hidden]
        });
    }
}
