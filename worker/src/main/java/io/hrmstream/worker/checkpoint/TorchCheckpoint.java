package io.hrmstream.worker.checkpoint;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a state_dict written by {@code torch.save} (the official checkpoints: {@code checkpoint}, {@code step_N},
 * {@code checkpoint.pt}). The file is a zip archive:
 * <pre>
 *   &lt;archive&gt;/data.pkl      pickle of an OrderedDict name -> tensor
 *   &lt;archive&gt;/data/&lt;key&gt;   raw little-endian bytes of storage &lt;key&gt;
 *   &lt;archive&gt;/version, byteorder, ...
 * </pre>
 * The pickle is read with Pyrolite's {@link Unpickler}; each tensor is pickled as
 * {@code torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks)}
 * whose storage is a persistent id {@code ('storage', torch.<Type>Storage, key, location, numel)}.
 */
public final class TorchCheckpoint {

    static {
        // Pyrolite keeps its constructors in one static table; these entries are the same for every file.
        Unpickler.registerConstructor("collections", "OrderedDict", args -> new PickledDict());
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", TorchCheckpoint::rebuildTensor);
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
        Map<String, Dtype> storages = Map.of(
                "FloatStorage", Dtype.F32,
                "HalfStorage", Dtype.F16,
                "BFloat16Storage", Dtype.BF16,
                "LongStorage", Dtype.I64,
                "IntStorage", Dtype.I32);
        storages.forEach((name, dtype) -> Unpickler.registerConstructor("torch", name, new StorageType(name, dtype)));
    }

    private TorchCheckpoint() {
    }

    /** The tensors of a torch.save file, in the pickled dict's order. */
    public static Map<String, HostTensor> read(Path file) throws IOException {
        return read(file, ChunkedBytes.DEFAULT_CHUNK_BYTES);
    }

    /**
     * As {@link #read(Path)}, holding each storage in chunks of {@code chunkBytes}: a storage may be larger than one
     * Java array (an ARC-AGI-2 puzzle-embedding table is about 2.3 GB), so none is ever read into one.
     */
    static Map<String, HostTensor> read(Path file, int chunkBytes) throws IOException {
        // ZipFile reads the central directory (zip64 too): torch writes stored entries with data descriptors, which
        // ZipInputStream rejects.
        byte[] pickle = null;
        Map<String, ChunkedBytes> storageFiles = new HashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                String name = entry.getName();
                if (name.endsWith("/data.pkl") || name.equals("data.pkl")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        pickle = in.readAllBytes();
                    }
                } else if (name.contains("/data/")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        storageFiles.put(name.substring(name.lastIndexOf("/data/") + "/data/".length()),
                                ChunkedBytes.read(in, chunkBytes));
                    }
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": not a torch.save zip archive: " + e.getMessage(), e);
        }
        return parse(pickle, storageFiles, file.toString());
    }

    /** The tensors of a torch.save stream (e.g. a classpath resource), via a temporary file. */
    public static Map<String, HostTensor> read(InputStream stream, String source) throws IOException {
        Path tmp = Files.createTempFile("checkpoint", ".pt");
        try {
            Files.copy(stream, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return read(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Map<String, HostTensor> parse(byte[] pickle, Map<String, ChunkedBytes> storageFiles, String source)
            throws IOException {
        if (pickle == null) {
            throw new IOException(source + ": not a torch.save zip archive (no data.pkl entry)");
        }
        Object root;
        StorageUnpickler unpickler = new StorageUnpickler();
        try {
            root = unpickler.loads(pickle);
        } catch (PickleException e) {
            throw new IOException(source + ": cannot read the pickle: " + e.getMessage(), e);
        } finally {
            unpickler.close();
        }
        if (!(root instanceof Map<?, ?> dict)) {
            throw new IOException(source + ": the pickle holds a " + root.getClass().getSimpleName()
                    + ", not a state_dict");
        }
        Map<String, HostTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof PickledTensor t)) {
                throw new IOException(source + ": entry '" + name + "' is not a tensor");
            }
            ChunkedBytes storage = storageFiles.get(t.storage.key);
            if (storage == null) {
                throw new IOException(source + ": tensor '" + name + "': storage data/" + t.storage.key + " is missing");
            }
            try {
                tensors.put(name, t.materialize(storage));
            } catch (IllegalArgumentException ex) {
                throw new IOException(source + ": tensor '" + name + "': " + ex.getMessage(), ex);
            }
        }
        return tensors;
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private static Object rebuildTensor(Object[] args) {
        if (!(args[0] instanceof StorageRef storage)) {
            throw new PickleException("_rebuild_tensor_v2: first argument is not a storage: " + args[0]);
        }
        return new PickledTensor(storage, toLong(args[1]), toLongs(args[2]), toLongs(args[3]));
    }

    private static long toLong(Object o) {
        return ((Number) o).longValue();
    }

    private static long[] toLongs(Object tuple) {
        Object[] items = (Object[]) tuple;
        long[] out = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = toLong(items[i]);
        }
        return out;
    }

    /**
     * Resolves {@code ('storage', storage_type, key, location, numel)} persistent ids, and keeps SETITEMS in
     * pickle order (Pyrolite collects a SETITEMS batch in a HashMap first, which loses the state_dict's order).
     */
    private static final class StorageUnpickler extends Unpickler {
        private static final short SETITEMS = 'u';

        @Override
        protected Object dispatch(short opcode) throws IOException {
            if (opcode != SETITEMS) {
                return super.dispatch(opcode);
            }
            List<Object> items = stack.pop_all_since_marker();
            @SuppressWarnings("unchecked")
            Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
            for (int i = 0; i + 1 < items.size(); i += 2) {
                dict.put(items.get(i), items.get(i + 1));
            }
            return NO_RETURN_VALUE;
        }

        @Override
        protected Object persistentLoad(Object pid) {
            Object[] id = (Object[]) pid;
            if (id.length < 5 || !"storage".equals(id[0])) {
                throw new PickleException("unsupported persistent id " + Arrays.toString(id));
            }
            if (!(id[1] instanceof StorageType type)) {
                throw new PickleException("unsupported storage type " + id[1]
                        + " (supported: FloatStorage, HalfStorage, BFloat16Storage, LongStorage, IntStorage)");
            }
            return new StorageRef(type.dtype, String.valueOf(id[2]), toLong(id[4]));
        }
    }

    /** The class object {@code torch.<Name>Storage} as a pickle global. */
    private record StorageType(String name, Dtype dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("torch." + name + " is not constructed by a checkpoint pickle");
        }
    }

    private record StorageRef(Dtype dtype, String key, long numel) {
    }

    /** A tensor as pickled: a strided view into a storage. */
    private record PickledTensor(StorageRef storage, long offset, long[] size, long[] stride) {

        HostTensor materialize(ChunkedBytes storageBytes) {
            int elem = storage.dtype.bytes();
            if (storageBytes.size() < storage.numel * elem) {
                throw new IllegalArgumentException("storage holds " + storageBytes.size() + " bytes, expected "
                        + storage.numel * elem);
            }
            long numel = HostTensor.numel(size);
            if (isContiguous() && (offset + numel) <= storage.numel) {
                return HostTensor.ofChunks(storage.dtype, size, storageBytes.slice(offset * elem, numel * elem));
            }
            // A strided view (never a state_dict's large tables): copied into one buffer.
            if (numel * elem > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a strided view of " + numel * elem + " bytes: larger than one "
                        + "buffer; save the state_dict with contiguous tensors");
            }
            ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(numel * elem)).order(ByteOrder.LITTLE_ENDIAN);
            // Copy element by element in row-major order of `size`, following `stride` into the storage.
            long[] index = new long[size.length];
            for (long n = 0; n < numel; n++) {
                long position = offset;
                for (int d = 0; d < size.length; d++) {
                    position += index[d] * stride[d];
                }
                if (position < 0 || position >= storage.numel) {
                    throw new IllegalArgumentException("view reaches outside its storage");
                }
                storageBytes.copy(position * elem, out, elem);
                for (int d = size.length - 1; d >= 0 && ++index[d] == size[d]; d--) {
                    index[d] = 0;
                }
            }
            out.flip();
            return new HostTensor(storage.dtype, size, out);
        }

        private boolean isContiguous() {
            long expected = 1;
            for (int d = size.length - 1; d >= 0; d--) {
                if (size[d] != 1 && stride[d] != expected) {
                    return false;
                }
                expected *= size[d];
            }
            return true;
        }
    }

    /** {@code collections.OrderedDict}; BUILD hands it the dict's attributes (a state_dict's {@code _metadata}). */
    public static final class PickledDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;

        /** Called reflectively by Pyrolite's BUILD opcode; the version metadata is not needed. */
        public void __setstate__(HashMap<?, ?> attributes) {
            // attributes such as _metadata are ignored
        }
    }
}
