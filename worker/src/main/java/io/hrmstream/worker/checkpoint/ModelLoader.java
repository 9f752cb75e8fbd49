package io.hrmstream.worker.checkpoint;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hrmstream.puzzles.PuzzleTasks;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.ReasoningModel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads a model from a folder or from classpath resources.
 * <ul>
 *   <li>Our / golden folders: {@code config.json} (official field names) with {@code weights.safetensors} or
 *       {@code checkpoint.pt}.</li>
 *   <li>Official checkpoint folders: {@code all_config.yaml} (the model in its {@code arch} section) with a
 *       {@code torch.save} state_dict named {@code checkpoint} or {@code step_N} (the highest N is taken). The
 *       data-set fields the yaml lacks come from tensor shapes: vocab_size from embed_tokens, num_puzzle_identifiers
 *       from puzzle_emb.weights, seq_len from embed_pos or mlp_t, else from {@link InputLength}'s sources
 *       (--seq-len, a dataset.json beside the checkpoint, the task's official length).</li>
 * </ul>
 */
public final class ModelLoader {

    public static final String CONFIG_JSON = "config.json";
    public static final String OFFICIAL_CONFIG_YAML = "all_config.yaml";
    public static final String WEIGHTS_SAFETENSORS = "weights.safetensors";
    /** Weight file names tried in order before {@code step_N}. */
    private static final List<String> WEIGHT_FILES = List.of(WEIGHTS_SAFETENSORS, "checkpoint.pt", "checkpoint");
    private static final Pattern STEP_FILE = Pattern.compile("step_(\\d+)");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private ModelLoader() {
    }

    /** Loads the model in {@code dir}; its config must fix seq_len. */
    public static ReasoningModel load(Path dir, ComputeDevice device) throws IOException {
        return load(dir, device, OptionalInt.empty());
    }

    /**
     * Loads the model in {@code dir}. {@code seqLen} (the length of the inputs it will see) is used only when neither
     * the config nor the tensor shapes fix it: an official rope or no-position checkpoint.
     */
    public static ReasoningModel load(Path dir, ComputeDevice device, OptionalInt seqLen) throws IOException {
        return load(dir, device, new InputLength(seqLen, Optional.empty()));
    }

    /**
     * Loads the model in {@code dir}; an official folder whose files do not fix seq_len takes it from
     * {@code inputLength}'s sources (flag, dataset.json, the task's official length).
     */
    public static ReasoningModel load(Path dir, ComputeDevice device, InputLength inputLength) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a model folder");
        }
        Map<String, HostTensor> weights = readWeights(dir);
        ModelConfig config;
        Path json = dir.resolve(CONFIG_JSON);
        Path yaml = dir.resolve(OFFICIAL_CONFIG_YAML);
        if (Files.isRegularFile(json)) {
            config = configFromJson(readMap(JSON, json), json.toString());
        } else if (Files.isRegularFile(yaml)) {
            config = configFromOfficialYaml(readMap(YAML, yaml), weights, inputLength, dir,
                    yaml.toString());
        } else {
            throw new IOException(dir + ": no " + CONFIG_JSON + " or " + OFFICIAL_CONFIG_YAML);
        }
        return ReasoningModel.fromStateDict(config, weights, device);
    }

    /** A JSON or YAML file as a map; a parse error names the file and the line and column, on one line. */
    private static Map<String, Object> readMap(ObjectMapper mapper, Path file) throws IOException {
        try {
            return mapper.readValue(file.toFile(), MAP);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IOException(file + " does not parse" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Loads {@code <resourceDir>/config.json} with {@code weights.safetensors} (or {@code checkpoint.pt}). */
    public static ReasoningModel loadResource(String resourceDir, ComputeDevice device) throws IOException {
        String base = resourceDir.endsWith("/") ? resourceDir : resourceDir + "/";
        Map<String, Object> fields;
        try (InputStream in = open(base + CONFIG_JSON)) {
            fields = JSON.readValue(in, MAP);
        }
        ModelConfig config = configFromJson(fields, base + CONFIG_JSON);
        Map<String, HostTensor> weights;
        InputStream safetensors = ModelLoader.class.getResourceAsStream(base + WEIGHTS_SAFETENSORS);
        if (safetensors != null) {
            try (safetensors) {
                weights = Safetensors.read(safetensors, base + WEIGHTS_SAFETENSORS);
            }
        } else {
            try (InputStream in = open(base + "checkpoint.pt")) {
                weights = TorchCheckpoint.read(in, base + "checkpoint.pt");
            }
        }
        return ReasoningModel.fromStateDict(config, weights, device);
    }

    /** The state_dict of {@code dir}: a safetensors file or a torch.save file (see the class comment). */
    public static Map<String, HostTensor> readWeights(Path dir) throws IOException {
        return readWeightFile(weightFile(dir));
    }

    /** The weight file of {@code dir}: the first of {@link #WEIGHT_FILES} present, else the highest step_N. */
    public static Path weightFile(Path dir) throws IOException {
        for (String name : WEIGHT_FILES) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> STEP_FILE.matcher(p.getFileName().toString()).matches())
                    .max(Comparator.comparingLong(ModelLoader::stepNumber))
                    .orElseThrow(() -> new IOException(dir + ": no weights (looked for " + WEIGHT_FILES
                            + " and step_N)"));
        }
    }

    /** Reads one weight file, safetensors or torch.save, by its content. */
    public static Map<String, HostTensor> readWeightFile(Path file) throws IOException {
        byte[] magic = new byte[2];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(magic, 0, 2) == 2 && magic[0] == 'P' && magic[1] == 'K') {   // zip local header
                return TorchCheckpoint.read(file);
            }
        }
        return Safetensors.read(file);
    }

    /** config.json: the official fields; the architecture from {@code name}, else from TRM-only fields. */
    static ModelConfig configFromJson(Map<String, Object> fields, String source) throws IOException {
        try {
            Architecture arch;
            if (fields.get("name") instanceof String name) {
                arch = Architecture.ofName(name);
            } else if (fields.containsKey("mlp_t") || fields.containsKey("puzzle_emb_len")
                    || fields.containsKey("no_ACT_continue")) {
                arch = Architecture.TRM;
            } else {
                arch = Architecture.HRM_ACT_V1;
            }
            return ModelConfig.fromOfficialFields(arch, fields);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    /** all_config.yaml: the {@code arch} section, completed with the data-set fields from tensor shapes. */
    static ModelConfig configFromOfficialYaml(Map<String, Object> yaml, Map<String, HostTensor> weights,
                                              InputLength inputLength, Path dir, String source) throws IOException {
        try {
            if (!(yaml.get("arch") instanceof Map<?, ?> archSection)) {
                throw new IllegalArgumentException("no 'arch' section");
            }
            Map<String, Object> fields = new HashMap<>();
            archSection.forEach((k, v) -> fields.put(String.valueOf(k), v));
            Architecture arch = Architecture.ofName(String.valueOf(fields.get("name")));
            Map<String, HostTensor> byKey = new HashMap<>();
            weights.forEach((k, v) -> byKey.put(WeightSource.stripPrefix(k), v));

            fields.putIfAbsent("batch_size", yaml.getOrDefault("global_batch_size", 1));
            int vocabSize = dimension(byKey, "embed_tokens.embedding_weight", 0);
            fields.put("vocab_size", vocabSize);
            fields.put("num_puzzle_identifiers", byKey.containsKey("puzzle_emb.weights")
                    ? dimension(byKey, "puzzle_emb.weights", 0) : 1);
            // seq_len: only learned positions and mlp_t have tensors as long as the state (S+P)
            OptionalInt stateLength = OptionalInt.empty();
            if (byKey.containsKey("embed_pos.embedding_weight")) {
                stateLength = OptionalInt.of(dimension(byKey, "embed_pos.embedding_weight", 0));
            } else if (byKey.containsKey("L_level.layers.0.mlp_t.gate_up_proj.weight")) {
                stateLength = OptionalInt.of(dimension(byKey, "L_level.layers.0.mlp_t.gate_up_proj.weight", 1));
            }
            if (stateLength.isPresent()) {
                fields.put("seq_len", 1);   // provisional, to learn the prefix length P from the config
                int prefix = ModelConfig.fromOfficialFields(arch, fields).prefixLength();
                fields.put("seq_len", stateLength.getAsInt() - prefix);
                inputLength.check(stateLength.getAsInt() - prefix);
            } else {
                // no task given: the one whose vocabulary the model has (an official folder records none)
                InputLength withTask = inputLength.task().isPresent() ? inputLength
                        : new InputLength(inputLength.flag(), PuzzleTasks.forVocabSize(vocabSize));
                fields.put("seq_len", withTask.resolve(dir));
            }
            return ModelConfig.fromOfficialFields(arch, fields);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    private static int dimension(Map<String, HostTensor> byKey, String key, int axis) {
        HostTensor t = byKey.get(key);
        if (t == null) {
            throw new IllegalArgumentException("the checkpoint has no tensor '" + WeightSource.OFFICIAL_PREFIX + key + "'");
        }
        return Math.toIntExact(t.shape()[axis]);
    }

    private static long stepNumber(Path p) {
        Matcher m = STEP_FILE.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = ModelLoader.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("classpath resource " + resource + " not found");
        }
        return in;
    }
}
