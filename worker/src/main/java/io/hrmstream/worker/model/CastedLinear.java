package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import io.hrmstream.worker.checkpoint.WeightSource;

/**
 * layers.py {@code CastedLinear}: {@code y = x·Wᵀ + b}, weight stored [out, in], truncated LeCun normal init,
 * zero bias.
 *
 * @param weight [out, in]
 * @param bias   [out], or null
 */
public record CastedLinear(NDArray weight, NDArray bias) {

    public CastedLinear {
        assert weight.getShape().dimension() == 2 : "weight " + weight.getShape();
        assert bias == null || bias.getShape().get(0) == weight.getShape().get(0) : "bias " + bias.getShape();
    }

    /** Loads {@code <prefix>weight} (and {@code <prefix>bias}) for a layer {@code in -> out}. */
    static CastedLinear load(WeightSource source, String prefix, int in, int out, boolean withBias) {
        NDArray weight = source.parameter(prefix + "weight", Init.lecunNormal(in), out, in);
        NDArray bias = withBias ? source.parameter(prefix + "bias", Init.zeros(), out) : null;
        return new CastedLinear(weight, bias);
    }

    /** [..., in] -> [..., out] (torch.nn.functional.linear). */
    public NDArray forward(NDArray x) {
        assert x.getShape().get(x.getShape().dimension() - 1) == weight.getShape().get(1) : "x " + x.getShape();
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }
}
