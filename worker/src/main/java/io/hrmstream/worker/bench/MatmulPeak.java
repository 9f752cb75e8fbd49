package io.hrmstream.worker.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * The matmul throughput this machine gives DJL right now, as the yardstick for the model's achieved GFLOP/s:
 * [m,k] x [k,n] in float32, timed call by call after a warm-up. Measured in the same run as the model because
 * the box is shared and its speed moves with the load.
 *
 * @param m      rows (batch * positions)
 * @param k      inner size
 * @param n      columns
 * @param best   GFLOP/s of the fastest call (the peak)
 * @param median GFLOP/s of the median call
 */
public record MatmulPeak(long m, long k, long n, double best, double median) {

    public static MatmulPeak measure(NDManager parent, long m, long k, long n, int calls) {
        double flops = 2.0 * m * k * n;
        double[] gflops = new double[calls];
        try (NDManager manager = parent.newSubManager()) {
            NDArray a = manager.randomUniform(-1f, 1f, new Shape(m, k));
            NDArray b = manager.randomUniform(-1f, 1f, new Shape(k, n));
            for (int i = 0; i < 5; i++) a.matMul(b).close();
            for (int i = 0; i < calls; i++) {
                long start = System.nanoTime();
                NDArray c = a.matMul(b);
                long nanos = System.nanoTime() - start;
                c.close();
                gflops[i] = flops / nanos;
            }
        }
        Arrays.sort(gflops);
        return new MatmulPeak(m, k, n, gflops[calls - 1], gflops[calls / 2]);
    }

    public String describe() {
        return String.format("matmul [%d,%d]x[%d,%d] float32: peak %.1f GFLOP/s, median %.1f GFLOP/s", m, k, k, n,
                best, median);
    }
}
