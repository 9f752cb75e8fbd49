package io.hrmstream.worker.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.hrmstream.worker.model.Init;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the model's tensors come from: a checkpoint's state_dict, or the official random initialisation.
 * Each layer asks for its tensors by their official state_dict key (without the {@code _orig_mod.model.inner.}
 * prefix), with the shape it expects and the official init; the source records them, in order, as the model's
 * state_dict.
 */
public final class WeightSource {

    /** The prefix pretrain.py's checkpoints give every key: torch.compile wrapper, loss head, ACT wrapper. */
    public static final String OFFICIAL_PREFIX = "_orig_mod.model.inner.";

    /** Non-persistent buffers that a state_dict may still carry; the model rebuilds them. */
    private static final Set<String> REBUILT_BUFFERS = Set.of(
            "rotary_emb.cos_cached", "rotary_emb.sin_cached", "puzzle_emb.local_weights", "puzzle_emb.local_ids");

    private final NDManager manager;
    private final DataType dataType;
    private final Provider provider;
    private final Map<String, NDArray> taken = new LinkedHashMap<>();
    private final Set<String> buffers = new LinkedHashSet<>();
    /** Keys the source holds (empty for random init), to find the unused ones. */
    private final Set<String> available;

    private interface Provider {
        HostTensor tensor(String key, Init init, long[] shape);
    }

    private WeightSource(NDManager manager, DataType dataType, Provider provider, Set<String> available) {
        this.manager = manager;
        this.dataType = dataType;
        this.provider = provider;
        this.available = available;
    }

    /**
     * Tensors from a state_dict whose keys carry the official prefix, {@code model.inner.}, {@code inner.} or none.
     * {@link #requireAllUsed()} afterwards reports keys no layer asked for.
     */
    public static WeightSource ofStateDict(Map<String, HostTensor> stateDict, NDManager manager, DataType dataType) {
        Map<String, HostTensor> byKey = new LinkedHashMap<>();
        for (Map.Entry<String, HostTensor> e : stateDict.entrySet()) {
            byKey.put(stripPrefix(e.getKey()), e.getValue());
        }
        return new WeightSource(manager, dataType, (key, init, shape) -> {
            HostTensor t = byKey.get(key);
            if (t == null) {
                throw new IllegalArgumentException("the checkpoint has no tensor '" + OFFICIAL_PREFIX + key
                        + "' (expected shape " + Arrays.toString(shape) + ")");
            }
            return t;
        }, byKey.keySet());
    }

    /**
     * The official initialisation, deterministic for a seed: each tensor draws from its own generator seeded by
     * (seed, key), so the values do not depend on the order in which layers are built.
     */
    public static WeightSource random(long seed, NDManager manager, DataType dataType) {
        return new WeightSource(manager, dataType, (key, init, shape) -> {
            Random random = new Random(seed * 1_000_003L + key.hashCode());
            int n = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
            return HostTensor.ofFloats(shape, init.sample(n, random));
        }, Set.of());
    }

    /** A trainable parameter stored under {@code key}. */
    public NDArray parameter(String key, Init init, long... shape) {
        return take(key, init, shape);
    }

    /** A persistent buffer ({@code nn.Buffer(persistent=True)}): saved with the model, not trained by gradient. */
    public NDArray buffer(String key, Init init, long... shape) {
        buffers.add(key);
        return take(key, init, shape);
    }

    private NDArray take(String key, Init init, long[] shape) {
        assert !taken.containsKey(key) : "tensor " + key + " requested twice";
        HostTensor tensor = provider.tensor(key, init, shape);
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw new IllegalArgumentException("tensor '" + OFFICIAL_PREFIX + key + "' has shape "
                    + Arrays.toString(tensor.shape()) + ", expected " + Arrays.toString(shape)
                    + " for this model config");
        }
        if (!tensor.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("tensor '" + OFFICIAL_PREFIX + key + "' has integer dtype "
                    + tensor.dtype());
        }
        NDArray array = tensor.toNDArray(manager, dataType);
        array.setName(key);
        taken.put(key, array);
        return array;
    }

    /** Fails, naming them, if the state_dict holds tensors that no layer of this config uses. */
    public void requireAllUsed() {
        Set<String> unused = new TreeSet<>(available);
        unused.removeAll(taken.keySet());
        unused.removeAll(REBUILT_BUFFERS);
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("the checkpoint has tensors this model config does not use: " + unused
                    + " (check the config's architecture, layer counts and puzzle_emb_ndim)");
        }
    }

    /** Every tensor taken, under its key without prefix, in the order the layers asked for them. */
    public Map<String, NDArray> stateDict() {
        return Collections.unmodifiableMap(taken);
    }

    /** Keys of the buffers among {@link #stateDict()}. */
    public Set<String> bufferKeys() {
        return Collections.unmodifiableSet(buffers);
    }

    /** {@code _orig_mod.model.inner.X}, {@code model.inner.X}, {@code inner.X} and {@code X} all name X. */
    static String stripPrefix(String key) {
        String k = key;
        for (String prefix : new String[] {"_orig_mod.", "model.", "inner."}) {
            if (k.startsWith(prefix)) {
                k = k.substring(prefix.length());
            }
        }
        return k;
    }
}
