package io.hrmstream.worker.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.puzzles.PuzzleTask;
import io.hrmstream.worker.engine.Halting;
import io.hrmstream.puzzles.PuzzleTasks;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ReasoningModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A model as every command opens it ({@code run}, {@code eval}, {@code bench}, {@code forward}, {@code train}'s
 * starting weights): the network on its device, the task it answers, and the name its solutions carry.
 *
 * <p>The task, in this order: the {@code --task} override; the task the folder records ({@code config.json}'s
 * {@code task}, written by {@link ModelWriter} and the trainer); the one task whose vocabulary size is the model's
 * (official folders record none: sudoku has 11 tokens, maze 6, ARC 12). A task whose vocabulary is not the model's
 * is an error at open, never a stream of rejected requests later.
 *
 * @param model  the network, on its device
 * @param task   the puzzles it answers
 * @param name   the folder's name, or the shipped model's
 * @param digest the first 8 hex digits of the SHA-256 of the weight file as stored: two versions of a model with
 *               one name are told apart by it
 * @param serveMaxSteps the ACT steps a request gets when it asks for none: config.json's
 *               {@value ModelWriter#SERVE_MAX_STEPS_FIELD}, else the model's {@code halt_max_steps}
 * @param serveHalting when a puzzle stops before its cap unless the user picks a rule: config.json's
 *               {@value ModelWriter#SERVE_HALTING_FIELD}, else {@link Halting#ACT}
 */
public record OpenedModel(ReasoningModel model, PuzzleTask task, String name, String digest, int serveMaxSteps,
                          Halting serveHalting)
        implements AutoCloseable {

    private static final int DIGEST_HEX_DIGITS = 8;

    /** How solutions, logs and metrics name the model: {@code hrm-sudoku@3f2a91c0}. */
    public String qualifiedName() {
        return name + "@" + digest;
    }

    /**
     * Opens the model folder {@code dir} on {@code device}.
     *
     * @param taskFlag the {@code --task} override, if given
     * @param seqLen   the {@code --seq-len} flag, if given (official folders whose tensors do not fix the length)
     */
    public static OpenedModel open(final Path dir, final ComputeDevice device, final Optional<PuzzleTask> taskFlag,
                                   final OptionalInt seqLen) throws IOException {
        final Optional<JsonNode> config = configJson(dir);
        final String source = dir.resolve(ModelLoader.CONFIG_JSON).toString();
        final Optional<PuzzleTask> recorded = config.isPresent() ? taskOf(config.get(), source) : Optional.empty();
        final Optional<PuzzleTask> known = taskFlag.isPresent() ? taskFlag : recorded;
        final OptionalInt serveMaxSteps = config.isPresent() ? serveMaxStepsOf(config.get(), source) : OptionalInt.empty();
        final Halting serveHalting = config.isPresent() ? serveHaltingOf(config.get(), source) : Halting.ACT;
        final String name = dir.toAbsolutePath().normalize().getFileName().toString();
        final String digest = digest(Files.newInputStream(ModelLoader.weightFile(dir)));
        final ReasoningModel model = ModelLoader.load(dir, device, new InputLength(seqLen, known));
        return withTask(model, known, name, digest, serveMaxSteps, serveHalting, dir.toString());
    }

    /** Opens the model shipped in the jar under {@code resourceDir} (config.json records its task). */
    public static OpenedModel openResource(final String resourceDir, final String name, final ComputeDevice device)
            throws IOException {
        final String base = resourceDir.endsWith("/") ? resourceDir : resourceDir + "/";
        final Optional<PuzzleTask> recorded;
        final OptionalInt serveMaxSteps;
        final Halting serveHalting;
        try (InputStream json = resource(base + ModelLoader.CONFIG_JSON)) {
            final JsonNode config = new ObjectMapper().readTree(json);
            recorded = taskOf(config, base + ModelLoader.CONFIG_JSON);
            serveMaxSteps = serveMaxStepsOf(config, base + ModelLoader.CONFIG_JSON);
            serveHalting = serveHaltingOf(config, base + ModelLoader.CONFIG_JSON);
        }
        final String digest = digest(resource(base + ModelLoader.WEIGHTS_SAFETENSORS));
        final ReasoningModel model = ModelLoader.loadResource(resourceDir, device);
        return withTask(model, recorded, name, digest, serveMaxSteps, serveHalting, resourceDir);
    }

    /** Whether the jar ships a model under {@code resourceDir}. */
    public static boolean resourceExists(final String resourceDir) {
        final String base = resourceDir.endsWith("/") ? resourceDir : resourceDir + "/";
        return OpenedModel.class.getResource(base + ModelLoader.CONFIG_JSON) != null;
    }

    @Override
    public void close() {
        model.close();
    }

    private static OpenedModel withTask(final ReasoningModel model, final Optional<PuzzleTask> known,
                                        final String name, final String digest, final OptionalInt serveMaxSteps,
                                        final Halting serveHalting,
                                        final String source) throws IOException {
        final int vocabSize = model.config().vocabSize();
        try {
            final PuzzleTask task = known.or(() -> PuzzleTasks.forVocabSize(vocabSize)).orElseThrow(() ->
                    new IOException(source + ": the model's task is not recorded and no task has its vocabulary of "
                            + vocabSize + " tokens; give --task (" + PuzzleTasks.names() + ")"));
            if (task.vocabSize() != vocabSize) {
                throw new IOException(source + ": the model has a vocabulary of " + vocabSize + " tokens"
                        + PuzzleTasks.forVocabSize(vocabSize).map(t -> " (" + t.name() + "'s)").orElse("")
                        + ", but " + task.name() + " puzzles are encoded in " + task.vocabSize()
                        + ": it cannot answer them");
            }
            return new OpenedModel(model, task, name, digest,
                    serveMaxSteps.orElse(model.config().haltMaxSteps()), serveHalting);
        } catch (final IOException e) {
            model.close();
            throw e;
        }
    }

    /** The folder's config.json, if it has one (official checkpoint folders have all_config.yaml instead). */
    private static Optional<JsonNode> configJson(final Path dir) throws IOException {
        final Path json = dir.resolve(ModelLoader.CONFIG_JSON);
        return Files.isRegularFile(json) ? Optional.of(new ObjectMapper().readTree(json.toFile())) : Optional.empty();
    }

    private static Halting serveHaltingOf(final JsonNode config, final String source) throws IOException {
        final JsonNode halting = config.get(ModelWriter.SERVE_HALTING_FIELD);
        if (halting == null || halting.isNull()) {
            return Halting.ACT;
        }
        try {
            return Halting.parse(halting.asText());
        } catch (final IllegalArgumentException e) {
            throw new IOException(source + ": " + ModelWriter.SERVE_HALTING_FIELD + ": " + e.getMessage());
        }
    }

    private static OptionalInt serveMaxStepsOf(final JsonNode config, final String source) throws IOException {
        final JsonNode steps = config.get(ModelWriter.SERVE_MAX_STEPS_FIELD);
        if (steps == null || steps.isNull()) {
            return OptionalInt.empty();
        }
        if (!steps.canConvertToInt() || !steps.isIntegralNumber() || steps.intValue() < 1) {
            throw new IOException(source + ": " + ModelWriter.SERVE_MAX_STEPS_FIELD + " must be a whole number >= 1, was "
                    + steps);
        }
        return OptionalInt.of(steps.intValue());
    }

    private static Optional<PuzzleTask> taskOf(final JsonNode config, final String source) throws IOException {
        final JsonNode task = config.get(ModelWriter.TASK_FIELD);
        if (task == null || task.isNull()) {
            return Optional.empty();
        }
        final Optional<PuzzleTask> known = PuzzleTasks.forName(task.asText());
        if (known.isEmpty()) {
            throw new IOException(source + ": task '" + task.asText() + "' is not one of " + PuzzleTasks.names());
        }
        return known;
    }

    /** The short SHA-256 of a stream's bytes, read in chunks (weight files may pass 2 GiB). */
    private static String digest(final InputStream weights) throws IOException {
        final MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (DigestInputStream in = new DigestInputStream(weights, sha256)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha256.digest()).substring(0, DIGEST_HEX_DIGITS);
    }

    private static InputStream resource(final String name) throws IOException {
        final InputStream in = OpenedModel.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource not found: " + name);
        }
        return in;
    }
}
