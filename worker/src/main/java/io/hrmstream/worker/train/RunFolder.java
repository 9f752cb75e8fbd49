package io.hrmstream.worker.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hrmstream.worker.checkpoint.ModelWriter;
import io.hrmstream.worker.checkpoint.Safetensors;
import io.hrmstream.worker.model.ReasoningModel;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The output folder of a training run and what is written to it: {@code recipe.yaml}, {@code metrics.jsonl}, the
 * resumable checkpoint {@code last/} (with {@code last/raw/} when the published weights are an EMA), the best
 * held-out weights {@code best/} and, for CSV sources with puzzle identifiers of their own, {@code identifiers.json}. A checkpoint folder is written as
 * {@code NAME.tmp} and swapped in, the previous one kept as {@code NAME.old} until the swap is done, so a run that
 * dies at any point leaves a complete checkpoint behind.
 */
final class RunFolder {

    static final String LAST = "last";
    static final String BEST = "best";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String TRAINER_FILE = "trainer.json";
    /** In last/, with an EMA: the raw weights the optimizer trains (the model folder itself holds the averages). */
    static final String RAW = "raw";
    /** The official name of the puzzle identifiers' list. */
    static final String IDENTIFIERS_FILE = "identifiers.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** metrics.jsonl holds one object a line. */
    private static final ObjectMapper JSON_LINES = JSON.copy().disable(SerializationFeature.INDENT_OUTPUT);

    private final Path output;

    /** The task the run trains for; every model folder written records it. */
    private final String task;

    RunFolder(Path output, String task) {
        this.task = task;
        this.output = output;
    }

    /** Creates the folder and writes the recipe the run follows into it. */
    void create(String recipeYaml) throws IOException {
        Files.createDirectories(output);
        Files.writeString(output.resolve("recipe.yaml"), recipeYaml);
    }

    /** identifiers.json: entry i is the CSV source of puzzle identifier i, as the official builders write it. */
    void writeIdentifiers(List<String> names) throws IOException {
        JSON.writeValue(output.resolve(IDENTIFIERS_FILE).toFile(), names);
    }

    /** metrics.jsonl, opened for appending: a resumed run continues the lines of the one before. */
    Writer appendMetrics() throws IOException {
        return Files.newBufferedWriter(output.resolve("metrics.jsonl"), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** {@code value} as one metrics.jsonl line, newline included. */
    static String metricsLine(Object value) throws JsonProcessingException {
        return JSON_LINES.writeValueAsString(value) + "\n";
    }

    /** last/, or last.old/ when a run died while swapping checkpoints. */
    Path latestCheckpoint() {
        for (String name : List.of(LAST, LAST + ".old")) {
            Path dir = output.resolve(name);
            if (Files.isRegularFile(dir.resolve(TRAINER_FILE))) return dir;
        }
        throw new IllegalArgumentException("--resume: no checkpoint under " + output.resolve(LAST));
    }

    /** A checkpoint's trainer.json: step, best_score (null before the first evaluation), seed. */
    static Map<?, ?> trainerState(Path checkpoint) throws IOException {
        return JSON.readValue(checkpoint.resolve(TRAINER_FILE).toFile(), Map.class);
    }

    void saveBest(ReasoningModel model, HeldOutEvaluation.Result r, int step) throws IOException {
        Path tmp = output.resolve(BEST + ".tmp");
        deleteTree(tmp);
        ModelWriter.save(model, task, tmp);
        JSON.writeValue(tmp.resolve("eval.json").toFile(), Map.of("step", step, "eval", r));
        replace(tmp, output.resolve(BEST));
    }

    /**
     * Rewrites last/: the published model (what {@code run} and {@code eval} load), the optimizer state and
     * trainer.json; when the published weights are not the trained ones (an EMA), the trained ones go to raw/ too.
     */
    void saveCheckpoint(ReasoningModel published, ReasoningModel trained, AdamW optimizer, int step,
                        double bestScore, long seed) throws IOException {
        Path tmp = output.resolve(LAST + ".tmp");
        deleteTree(tmp);
        ModelWriter.save(published, task, tmp);
        if (published != trained) ModelWriter.save(trained, task, tmp.resolve(RAW));
        Safetensors.write(tmp.resolve(OPTIMIZER_FILE), optimizer.state(), Map.of("step", String.valueOf(step)));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("step", step);
        state.put("best_score", Double.isFinite(bestScore) ? bestScore : null);   // null: no evaluation yet
        state.put("seed", seed);
        JSON.writeValue(tmp.resolve(TRAINER_FILE).toFile(), state);
        replace(tmp, output.resolve(LAST));
    }

    /** Swaps a finished folder in, keeping the previous one as .old until the swap is done. */
    private static void replace(Path finished, Path target) throws IOException {
        Path old = target.resolveSibling(target.getFileName() + ".old");
        deleteTree(old);
        if (Files.exists(target)) Files.move(target, old);
        Files.move(finished, target);
        deleteTree(old);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
