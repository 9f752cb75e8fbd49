package io.hrmstream.worker.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Test fixture: checkpoint folders as the official code releases them, written from Java so that no PyTorch is
 * needed. {@link #writeTorchSave} writes a state_dict the way {@code torch.save(model.state_dict(), path)} does
 * (torch 2.x layout): a zip of stored entries, each record's data 64-byte aligned by an {@code FB} padding extra
 * field, holding {@code <name>/data.pkl} (pickle protocol 2), {@code <name>/byteorder}, {@code <name>/data/<key>}
 * (one storage per tensor, little-endian) and {@code <name>/version}. The pickle is an OrderedDict of
 * {@code torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())} with persistent ids
 * {@code ('storage', torch.<T>Storage, key, 'cpu', numel)}, memoised as the pickler memoises, followed by the
 * state_dict's {@code _metadata} BUILD. {@link #fromShippedSudoku} makes the folder issue 13 names: the shipped
 * sudoku weights as {@code checkpoint} (bf16 H_init/L_init) with the {@code all_config.yaml} pretrain.py writes.
 */
public final class OfficialCheckpointFolder {

    /** The shipped model, as classpath resources. */
    public static final String SHIPPED_SUDOKU = "/models/sudoku";
    /** The buffers pretrain.py's models hold in bfloat16 whatever forward_dtype is (as in the golden hrm-rope). */
    public static final List<String> BF16_BUFFERS = List.of("H_init", "L_init");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ALIGNMENT = 64;

    private OfficialCheckpointFolder() {
    }

    /**
     * Writes the shipped sudoku model into {@code dir} as an official checkpoint folder: {@code checkpoint} (keys
     * {@code _orig_mod.model.inner.*}, H_init and L_init rounded to bfloat16, the rest float32) and
     * {@code all_config.yaml} with the model in {@code arch} and no seq_len, vocab_size or num_puzzle_identifiers
     * (the official runs take them from the data set).
     */
    public static Path fromShippedSudoku(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, HostTensor> stateDict = new LinkedHashMap<>();
        shippedWeights().forEach((key, tensor) -> stateDict.put(key,
                BF16_BUFFERS.contains(WeightSource.stripPrefix(key)) ? toBf16(tensor) : tensor));
        writeTorchSave(dir.resolve("checkpoint"), stateDict);
        Files.writeString(dir.resolve(ModelLoader.OFFICIAL_CONFIG_YAML), allConfigYaml(shippedConfig()));
        return dir;
    }

    /** The shipped model's state_dict as its safetensors file holds it (float32, official keys). */
    public static Map<String, HostTensor> shippedWeights() throws IOException {
        try (InputStream in = resource(SHIPPED_SUDOKU + "/" + ModelLoader.WEIGHTS_SAFETENSORS)) {
            return Safetensors.read(in, SHIPPED_SUDOKU);
        }
    }

    /** The shipped model's config.json fields. */
    public static Map<String, Object> shippedConfig() throws IOException {
        try (InputStream in = resource(SHIPPED_SUDOKU + "/" + ModelLoader.CONFIG_JSON)) {
            return JSON.readValue(in, new TypeReference<>() {
            });
        }
    }

    /**
     * all_config.yaml as pretrain.py dumps its PretrainConfig ({@code yaml.dump}, keys sorted): the arch section
     * from the model's config fields without the data-set fields, the rest an official sudoku run's settings.
     */
    static String allConfigYaml(Map<String, Object> config) {
        Map<String, Object> arch = new TreeMap<>();
        for (String field : List.of("H_cycles", "H_layers", "L_cycles", "L_layers", "expansion",
                "halt_exploration_prob", "halt_max_steps", "hidden_size", "num_heads", "pos_encodings",
                "puzzle_emb_ndim")) {
            arch.put(field, config.get(field));
        }
        StringBuilder yaml = new StringBuilder("arch:\n");
        arch.forEach((k, v) -> {
            yaml.append("  ").append(k).append(": ").append(v).append('\n');
            if (k.equals("hidden_size")) {   // sorted: loss and name fall between hidden_size and num_heads
                yaml.append("  loss:\n    loss_type: stablemax_cross_entropy\n    name: losses@ACTLossHead\n");
                yaml.append("  name: hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1\n");
            }
        });
        yaml.append("""
                beta1: 0.9
                beta2: 0.95
                checkpoint_every_eval: true
                checkpoint_path: checkpoints/Sudoku-extreme-1k-aug-1000 ACT-torch/HierarchicalReasoningModel_ACTV1 loose-caracara
                data_path: data/sudoku-extreme-1k-aug-1000
                epochs: 20000
                eval_interval: 2000
                eval_save_outputs: []
                global_batch_size: 384
                lr: 7.0e-05
                lr_min_ratio: 1.0
                lr_warmup_steps: 2000
                project_name: Sudoku-extreme-1k-aug-1000 ACT-torch
                puzzle_emb_lr: 7.0e-05
                puzzle_emb_weight_decay: 1.0
                run_name: HierarchicalReasoningModel_ACTV1 loose-caracara
                seed: 0
                weight_decay: 1.0
                """);
        return yaml.toString();
    }

    /** The tensor rounded to bfloat16 as torch's {@code .to(torch.bfloat16)} rounds: to nearest, ties to even. */
    public static HostTensor toBf16(HostTensor tensor) {
        float[] values = tensor.toFloats();
        ByteBuffer out = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            int bits = Float.floatToRawIntBits(v);
            int rounded = Float.isNaN(v) ? (bits >>> 16) | 0x40 : (bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16;
            out.putShort((short) rounded);
        }
        return new HostTensor(Dtype.BF16, tensor.shape(), out.flip());
    }

    /** Writes {@code stateDict} (contiguous tensors, one storage each) as torch.save does; see the class comment. */
    public static void writeTorchSave(Path file, Map<String, HostTensor> stateDict) throws IOException {
        String archive = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Map<String, HostTensor> storages = new LinkedHashMap<>();
        byte[] pickle = pickle(stateDict, storages);
        try (CountingStream counted = new CountingStream(Files.newOutputStream(file));
             ZipOutputStream zip = new ZipOutputStream(counted)) {
            putStored(zip, counted, archive + "/data.pkl", List.of(ByteBuffer.wrap(pickle)));
            putStored(zip, counted, archive + "/byteorder", List.of(ascii("little")));
            for (Map.Entry<String, HostTensor> storage : storages.entrySet()) {
                putStored(zip, counted, archive + "/data/" + storage.getKey(), storage.getValue().chunks());
            }
            putStored(zip, counted, archive + "/version", List.of(ascii("3\n")));
        }
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** A stored entry whose data starts at a multiple of 64 bytes (the FB extra field pads the local header). */
    private static void putStored(ZipOutputStream zip, CountingStream counted, String name, List<ByteBuffer> data)
            throws IOException {
        CRC32 crc = new CRC32();
        long size = 0;
        for (ByteBuffer chunk : data) {
            size += chunk.remaining();
            crc.update(chunk.duplicate());
        }
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(size);
        entry.setCompressedSize(size);
        entry.setCrc(crc.getValue());
        entry.setTime(315_619_200_000L);   // 1980-01-02: within the DOS range in every time zone (torch writes 1980)
        int nameLength = name.getBytes(StandardCharsets.UTF_8).length;
        long headerEnd = counted.count + 30 + nameLength + 4;   // local header, name, FB id and length
        int padding = (int) ((ALIGNMENT - headerEnd % ALIGNMENT) % ALIGNMENT);
        byte[] extra = new byte[4 + padding];
        ByteBuffer.wrap(extra).order(ByteOrder.LITTLE_ENDIAN).put((byte) 'F').put((byte) 'B').putShort((short) padding);
        java.util.Arrays.fill(extra, 4, extra.length, (byte) 'Z');
        entry.setExtra(extra);
        zip.putNextEntry(entry);
        if (counted.count % ALIGNMENT != 0) {
            throw new IllegalStateException(name + ": data at " + counted.count + ", not 64-byte aligned");
        }
        for (ByteBuffer chunk : data) {
            ByteBuffer b = chunk.duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            zip.write(bytes);
        }
        zip.closeEntry();
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    // ---- pickle protocol 2, the opcodes torch.save's pickler emits for a state_dict ----

    private static byte[] pickle(Map<String, HostTensor> stateDict, Map<String, HostTensor> storages) {
        Pickler p = new Pickler();
        p.out.write(0x80);                               // PROTO 2
        p.out.write(2);
        p.global("collections", "OrderedDict");
        p.out.write(')');                                // EMPTY_TUPLE
        p.out.write('R');                                // REDUCE
        p.put("state_dict");
        p.out.write('(');                                // MARK
        int key = 0;
        for (Map.Entry<String, HostTensor> e : stateDict.entrySet()) {
            HostTensor t = e.getValue();
            String storageKey = String.valueOf(key++);
            storages.put(storageKey, t);
            p.string(e.getKey());
            p.global("torch._utils", "_rebuild_tensor_v2");
            p.out.write('(');                            // MARK: the arguments
            p.out.write('(');                            // MARK: the persistent id
            p.string("storage");
            p.global("torch", storageType(t.dtype()));
            p.string(storageKey);
            p.string("cpu");
            p.integer(t.numel());
            p.out.write('t');                            // TUPLE
            p.out.write('Q');                            // BINPERSID
            p.integer(0);                                // storage_offset
            long[] shape = t.shape();
            p.tuple(shape);
            p.tuple(contiguousStrides(shape));
            p.out.write(0x89);                           // NEWFALSE: requires_grad
            p.global("collections", "OrderedDict");      // backward_hooks = OrderedDict()
            p.out.write(')');
            p.out.write('R');
            p.out.write('t');                            // TUPLE of the arguments
            p.out.write('R');                            // REDUCE
        }
        p.out.write('u');                                // SETITEMS
        // state_dict()._metadata, set on the dict by BUILD: {'': {'version': 1}}
        p.out.write('}');                                // EMPTY_DICT
        p.string("_metadata");
        p.global("collections", "OrderedDict");
        p.out.write(')');
        p.out.write('R');
        p.string("");
        p.out.write('}');
        p.string("version");
        p.integer(1);
        p.out.write('s');                                // SETITEM version
        p.out.write('s');                                // SETITEM ''
        p.out.write('s');                                // SETITEM _metadata
        p.out.write('b');                                // BUILD
        p.out.write('.');                                // STOP
        return p.out.toByteArray();
    }

    private static String storageType(Dtype dtype) {
        return switch (dtype) {
            case F32 -> "FloatStorage";
            case F16 -> "HalfStorage";
            case BF16 -> "BFloat16Storage";
            case I64 -> "LongStorage";
            case I32 -> "IntStorage";
        };
    }

    private static long[] contiguousStrides(long[] shape) {
        long[] stride = new long[shape.length];
        long s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = s;
            s *= shape[d];
        }
        return stride;
    }

    /** The opcodes used, with the pickler's memo: a global or string seen before is fetched, not written again. */
    private static final class Pickler {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Map<String, Integer> memo = new HashMap<>();

        void global(String module, String name) {
            if (get("global " + module + " " + name)) return;
            out.write('c');                              // GLOBAL module\nname\n
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            put("global " + module + " " + name);
        }

        void string(String s) {
            if (get("str " + s)) return;
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.write('X');                              // BINUNICODE
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
            out.writeBytes(utf8);
            put("str " + s);
        }

        void integer(long v) {
            if (v >= 0 && v < 256) {
                out.write('K');                          // BININT1
                out.write((int) v);
            } else if (v >= 0 && v < 65536) {
                out.write('M');                          // BININT2
                out.write((int) v & 0xFF);
                out.write((int) (v >>> 8) & 0xFF);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                out.write('J');                          // BININT
                out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
            } else {
                out.write(0x8a);                         // LONG1: 8 bytes two's complement
                out.write(8);
                out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            }
        }

        void tuple(long[] values) {
            if (values.length == 0) {
                out.write(')');
                return;
            }
            if (values.length > 3) out.write('(');
            for (long v : values) integer(v);
            out.write(switch (values.length) {
                case 1 -> 0x85;                          // TUPLE1
                case 2 -> 0x86;                          // TUPLE2
                case 3 -> 0x87;                          // TUPLE3
                default -> 't';                          // TUPLE (from MARK)
            });
        }

        void put(String what) {
            int index = memo.size();
            memo.put(what, index);
            if (index < 256) {
                out.write('q');                          // BINPUT
                out.write(index);
            } else {
                out.write('r');                          // LONG_BINPUT
                out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(index).array());
            }
        }

        boolean get(String what) {
            Integer index = memo.get(what);
            if (index == null) return false;
            if (index < 256) {
                out.write('h');                          // BINGET
                out.write(index);
            } else {
                out.write('j');                          // LONG_BINGET
                out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(index).array());
            }
            return true;
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = OfficialCheckpointFolder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("classpath resource " + name + " not found");
        }
        return in;
    }
}
