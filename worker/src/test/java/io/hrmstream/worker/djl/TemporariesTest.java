package io.hrmstream.worker.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class TemporariesTest {

    @Test
    void withoutAutogradTheResultReusesTheTemporary() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray owned = manager.create(new float[] {1, 2, 3});
            NDArray other = manager.create(new float[] {4, 5, 6});
            assertSame(owned, Temporaries.multiplyInto(owned, other));
            assertArrayEquals(new float[] {4, 10, 18}, owned.toFloatArray());
            assertSame(owned, Temporaries.addInto(owned, other));
            assertArrayEquals(new float[] {8, 15, 24}, owned.toFloatArray());
        }
    }

    @Test
    void withAutogradTheTemporaryIsLeftForTheBackwardPass() {
        try (NDManager manager = NDManager.newBaseManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray weight = manager.create(new float[] {1, 2, 3});
            weight.setRequiresGradient(true);
            NDArray owned = weight.mul(2);                    // a temporary autograd may keep
            NDArray other = manager.create(new float[] {4, 5, 6});
            NDArray product = Temporaries.multiplyInto(owned, other);
            NDArray sum = Temporaries.addInto(product, other);
            assertNotSame(owned, product);
            assertNotSame(product, sum);
            assertArrayEquals(new float[] {2, 4, 6}, owned.toFloatArray());
            collector.backward(sum.sum());                    // d/dw sum(2w·o + o) = 2·o
            assertArrayEquals(new float[] {8, 10, 12}, weight.getGradient().toFloatArray());
        }
    }
}
