package io.hrmstream.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ActLossesTest {

    @Test
    void stablemaxCrossEntropyMatchesHandComputedValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            // s([0, 1, -1]) = [1, 2, 1/2], sum 3.5; s([3, 0, 0]) = [4, 1, 1], sum 6
            NDArray logits = m.create(new float[] {0, 1, -1, 3, 0, 0, 5, 5, 5}, new Shape(1, 3, 3));
            NDArray labels = m.create(new long[] {1, 2, ActLosses.IGNORE_LABEL}, new Shape(1, 3));
            float[] loss = ActLosses.stablemaxCrossEntropy(logits, labels).toFloatArray();
            assertArrayEquals(new float[] {(float) Math.log(3.5 / 2), (float) Math.log(6.0), 0f}, loss, 1e-6f);
        }
    }

    @Test
    void stablemaxGradientStaysFiniteForLargeLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {1, 30, -2}, new Shape(1, 1, 3));
            logits.setRequiresGradient(true);
            try (var collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                collector.backward(ActLosses.stablemaxCrossEntropy(logits, m.create(new long[] {1}, new Shape(1, 1))).sum());
            }
            // loss = -log(31 / (2 + 31 + 1/3)): d/dx1 = 1/33.333 - 1/31
            float[] grad = logits.getGradient().toFloatArray();
            assertArrayEquals(new float[] {1 / 33.3333333f, 1 / 33.3333333f - 1 / 31f, (1 / 33.3333333f) / 9f}, grad, 1e-5f);
        }
    }

    @Test
    void binaryCrossEntropyWithLogitsMatchesHandComputedValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {0, 2, -3, 40});
            NDArray targets = m.create(new float[] {1, 0.25f, 1, 0});
            float[] loss = ActLosses.binaryCrossEntropyWithLogits(logits, targets).toFloatArray();
            // -y log(sigmoid(x)) - (1 - y) log(1 - sigmoid(x)); the last one would overflow a naive formula
            assertArrayEquals(new float[] {(float) Math.log(2), (float) (1.5 + Math.log1p(Math.exp(-2))),
                    (float) (3 + Math.log1p(Math.exp(-3))), 40f}, loss, 1e-5f);
        }
    }

    @Test
    void continueTargetIsNextHaltOnLastStepElseTheLargerNextLogit() {
        float[] target = ActTrainer.continueTargets(new float[] {0, 0, -1}, new float[] {2, 2, -3},
                new boolean[] {false, true, false});
        assertArrayEquals(new float[] {(float) (1 / (1 + Math.exp(-2))), 0.5f, (float) (1 / (1 + Math.exp(1)))},
                target, 1e-6f);
    }

    @Test
    void learningRateWarmsUpLinearlyThenFollowsTheCosineToTheFloor() {
        LrSchedule s = new LrSchedule(LrSchedule.Kind.COSINE, 1e-3, 10, 110, 0.1, 0);
        assertArrayEquals(new double[] {1e-4, 1e-3, 1e-3, 0.55e-3, 1e-4},
                new double[] {s.at(0), s.at(9), s.at(10), s.at(60), s.at(110)}, 1e-12);
        LrSchedule step = new LrSchedule(LrSchedule.Kind.STEP, 1e-3, 0, 100, 0.3, 0.5);
        assertArrayEquals(new double[] {1e-3, 3e-4}, new double[] {step.at(49), step.at(50)}, 1e-12);
    }
}
