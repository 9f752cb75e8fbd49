package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import io.hrmstream.worker.checkpoint.WeightSource;
import io.hrmstream.worker.djl.Temporaries;

/**
 * layers.py {@code SwiGLU}: {@code down_proj(silu(gate) * up)} where {@code gate, up = chunk(gate_up_proj(x), 2)}
 * (gate first). The intermediate width is {@link ModelConfig#swiGluIntermediateSize}.
 *
 * @param gateUpProj [2·inter, width]
 * @param downProj   [width, inter]
 */
public record SwiGlu(CastedLinear gateUpProj, CastedLinear downProj) {

    /** Loads {@code <prefix>gate_up_proj.weight} and {@code <prefix>down_proj.weight} for a block of this width. */
    static SwiGlu load(WeightSource source, String prefix, int width, double expansion) {
        int inter = ModelConfig.swiGluIntermediateSize(width, expansion);
        return new SwiGlu(
                CastedLinear.load(source, prefix + "gate_up_proj.", width, 2 * inter, false),
                CastedLinear.load(source, prefix + "down_proj.", inter, width, false));
    }

    /** [..., width] -> [..., width]. */
    public NDArray forward(NDArray x) {
        int lastAxis = x.getShape().dimension() - 1;
        NDList gateUp = gateUpProj.forward(x).split(2, lastAxis);               // 2 x [..., inter]
        NDArray gate = gateUp.get(0);
        NDArray up = gateUp.get(1);
        NDArray activated = Temporaries.multiplyInto(                           // [..., inter]: silu(gate) * up
                Temporaries.multiplyInto(Activation.sigmoid(gate), gate), up);
        return downProj.forward(activated);                                     // [..., width]
    }
}
