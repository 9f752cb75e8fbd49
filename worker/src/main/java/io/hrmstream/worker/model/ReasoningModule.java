package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import io.hrmstream.worker.checkpoint.WeightSource;
import io.hrmstream.worker.djl.Scopes;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code *_ACTV1ReasoningModule}: adds the input injection to the state, then runs the blocks.
 * HRM has two (H_level, L_level); TRM one (L_level), used for both of its updates.
 *
 * @param layers the blocks, {@code <level>.layers.<i>.}
 */
public record ReasoningModule(List<ReasoningBlock> layers) {

    public ReasoningModule {
        layers = List.copyOf(layers);
    }

    /** Loads {@code <prefix>layers.<i>.*} for {@code count} blocks. */
    static ReasoningModule load(WeightSource source, String prefix, int count, ModelConfig config) {
        List<ReasoningBlock> layers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            layers.add(ReasoningBlock.load(source, prefix + "layers." + i + ".", config));
        }
        return new ReasoningModule(layers);
    }

    /** state, injection [B, S+P, hidden] -> new state [B, S+P, hidden]. */
    public NDArray forward(NDArray state, NDArray injection, RotaryEmbedding rope) {
        return Scopes.keep(() -> {
            NDArray h = state.add(injection);                                   // [B, S+P, hidden]
            for (ReasoningBlock layer : layers) {
                h = layer.forward(h, rope);                                     // [B, S+P, hidden]
            }
            return h;
        });
    }
}
