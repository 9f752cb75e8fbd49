package io.hrmstream.worker.model;

import java.util.Arrays;
import java.util.Random;

/** How the official code initialises a tensor: {@code trunc_normal_init_} (models/common.py), zeros or a constant. */
public sealed interface Init {

    /** Draws {@code n} values. */
    float[] sample(int n, Random random);

    /** The truncated LeCun normal of CastedLinear: std 1/sqrt(fan_in). */
    static Init lecunNormal(int fanIn) {
        return new TruncatedNormal(1.0 / Math.sqrt(fanIn));
    }

    static Init zeros() {
        return new Constant(0f);
    }

    /**
     * JAX's truncated normal as {@code trunc_normal_init_} implements it: a standard normal cut at +-2, rescaled so
     * that the result's standard deviation is exactly {@code std} (PyTorch's own trunc_normal_ is not).
     */
    record TruncatedNormal(double std) implements Init {
        /** Standard deviation of a standard normal truncated to [-2, 2] (scipy truncnorm.std(-2, 2)). */
        static final double TRUNCATED_STD = 0.8796256610342398;

        @Override
        public float[] sample(int n, Random random) {
            double scale = std / TRUNCATED_STD;
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                double g;
                do {
                    g = random.nextGaussian();
                } while (g < -2 || g > 2);
                out[i] = (float) (g * scale);
            }
            return out;
        }
    }

    record Constant(float value) implements Init {
        @Override
        public float[] sample(int n, Random random) {
            float[] out = new float[n];
            Arrays.fill(out, value);
            return out;
        }
    }
}
