package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.hrmstream.worker.checkpoint.HostTensor;
import io.hrmstream.worker.checkpoint.Safetensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** One case of the golden data (test resources {@code golden/<case>}, copied from the official PyTorch run). */
public record GoldenCase(String name, Path dir, Map<String, HostTensor> io) {

    public static GoldenCase load(String name) {
        URL url = GoldenCase.class.getResource("/golden/" + name);
        assertNotNull(url, "test resource golden/" + name);
        try {
            Path dir = Path.of(url.toURI());
            return new GoldenCase(name, dir, Safetensors.read(dir.resolve("io.safetensors")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public HostTensor tensor(String key) {
        HostTensor t = io.get(key);
        assertNotNull(t, name + ": io.safetensors has no " + key);
        return t;
    }

    public float[] floats(String key) {
        return tensor(key).toFloats();
    }

    public int[] ints(String key) {
        return tensor(key).toInts();
    }

    public NDArray array(NDManager manager, String key) {
        HostTensor t = tensor(key);
        return t.dtype().isFloatingPoint()
                ? manager.create(t.toFloats(), new Shape(t.shape()))
                : manager.create(t.toInts(), new Shape(t.shape()));
    }

    public int batchSize() {
        return (int) tensor("inputs").shape()[0];
    }

    /** Fails with the worst position if any |expected - actual| exceeds {@code tolerance}. */
    public static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        int worst = -1;
        double worstDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worstDiff)) {    // also catches NaN
                worstDiff = d;
                worst = i;
            }
        }
        if (!(worstDiff <= tolerance)) {
            fail(what + ": max |diff| " + worstDiff + " > " + tolerance + " at flat index " + worst
                    + " (expected " + expected[worst] + ", got " + actual[worst] + ")");
        }
    }

    /** Argmax over the last axis of row-major [rows, classes] values. */
    public static int[] argmax(float[] values, int classes) {
        int[] out = new int[values.length / classes];
        for (int r = 0; r < out.length; r++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (values[r * classes + c] > values[r * classes + best]) {
                    best = c;
                }
            }
            out[r] = best;
        }
        return out;
    }

    /** Whether the top two values of row r differ by more than {@code margin} (the argmax is not a near tie). */
    public static boolean clearWinner(float[] values, int classes, int r, double margin) {
        float first = Float.NEGATIVE_INFINITY;
        float second = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            float v = values[r * classes + c];
            if (v > first) {
                second = first;
                first = v;
            } else if (v > second) {
                second = v;
            }
        }
        return first - second > margin;
    }
}
