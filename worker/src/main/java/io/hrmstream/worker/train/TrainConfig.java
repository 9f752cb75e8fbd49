package io.hrmstream.worker.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hrmstream.puzzles.MazeTask;
import io.hrmstream.puzzles.SudokuTask;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ModelConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A training recipe, read from YAML or JSON (snake_case keys; JSON is YAML). Everything a run needs to be
 * reproduced: the model (official config field names under {@code arch}), the data, the optimizer and schedule,
 * the held-out evaluation and where the run writes.
 *
 * @param arch            {@code name} (hrm_act_v1 or trm) plus official model fields; seq_len, vocab_size and
 *                        num_puzzle_identifiers default from the data task (num_puzzle_identifiers: 1, every
 *                        puzzle on row 0; more rows give a CSV's sources rows of their own, see
 *                        {@link PuzzleIdentifiers})
 * @param data            the training puzzles
 * @param batchSize       rows of the training carry
 * @param steps           optimizer steps of the whole run
 * @param seed            seeds the weights, the data and the halting exploration
 * @param optimizer       AdamW, the puzzle-embedding sign-SGD, their learning-rate schedule and the weight EMA
 * @param eval            the periodic held-out evaluation that picks the best checkpoint
 * @param checkpointEvery steps between resumable checkpoints
 * @param threads         libtorch intra-op threads
 * @param output          the run folder (checkpoints, metrics)
 * @param loadCheckpoint  a model folder whose weights start the run instead of random ones (fine-tuning; TRM's
 *                        pretrain.py field of that name); {@code arch} must give the same tensor shapes, its
 *                        non-weight fields (halt_max_steps, cycles) may differ. Null: random initialisation
 */
public record TrainConfig(Map<String, Object> arch, Data data, Integer batchSize, Integer steps, Long seed,
                          Optimizer optimizer, Eval eval, Integer checkpointEvery, Integer threads, String output,
                          String loadCheckpoint) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);   // a typo is an error, not a default

    /**
     * @param task             sudoku or maze
     * @param minGivens        sudoku: fewest givens
     * @param maxGivens        sudoku: most givens
     * @param mazeSize         maze: rows = columns
     * @param mazeLoopFraction maze: walls opened after carving
     * @param mazeMinPath      maze: shortest S-G distance
     * @param csv              an HRM CSV to train on instead of generating; with num_puzzle_identifiers > 1 its
     *                         source column picks each puzzle's puzzle-embedding row ({@link PuzzleIdentifiers})
     */
    public record Data(String task, Integer minGivens, Integer maxGivens, Integer mazeSize, Double mazeLoopFraction,
                       Integer mazeMinPath, String csv) {
        public Data {
            task = Objects.requireNonNullElse(task, "sudoku");
            minGivens = Objects.requireNonNullElse(minGivens, 30);
            maxGivens = Objects.requireNonNullElse(maxGivens, 50);
            mazeSize = Objects.requireNonNullElse(mazeSize, 9);
            mazeLoopFraction = Objects.requireNonNullElse(mazeLoopFraction, 0.1);
            mazeMinPath = Objects.requireNonNullElse(mazeMinPath, 4);
        }

        /** The training stream, or (with another seed) the held-out puzzles of the same domain; identifiers 0. */
        public ExampleSource source(long seed) throws IOException {
            return source(seed, PuzzleIdentifiers.NONE);
        }

        /** As {@link #source(long)}, CSV puzzles with the identifiers of their sources. */
        public ExampleSource source(long seed, PuzzleIdentifiers identifiers) throws IOException {
            if (csv != null) return ExampleSource.csv(Path.of(csv), task, seed, identifiers);
            return switch (task) {
                case "sudoku" -> ExampleSource.sudoku(minGivens, maxGivens, seed);
                case "maze" -> ExampleSource.maze(mazeSize, mazeLoopFraction, mazeMinPath, seed);
                default -> throw new IllegalArgumentException("data.task '" + task + "': expected sudoku or maze");
            };
        }

        /** The CSV's puzzle identifiers for a model of {@code numPuzzleIdentifiers} rows; generated data: none. */
        public PuzzleIdentifiers identifiers(int numPuzzleIdentifiers) throws IOException {
            return csv == null ? PuzzleIdentifiers.NONE : PuzzleIdentifiers.ofCsv(Path.of(csv), task, numPuzzleIdentifiers);
        }

        int seqLen() {
            return task.equals("maze") ? mazeSize * mazeSize : SudokuTask.SEQ_LEN;
        }

        int vocabSize() {
            return task.equals("maze") ? MazeTask.VOCAB_SIZE : SudokuTask.VOCAB_SIZE;
        }
    }

    /**
     * @param lr           peak learning rate
     * @param warmupSteps  linear warm-up
     * @param schedule     cosine or step
     * @param minLrRatio   final (cosine) or dropped-to (step) fraction of lr
     * @param dropAt       step schedule: fraction of the run where the rate drops
     * @param weightDecay  decoupled weight decay
     * @param beta1        Adam beta1
     * @param beta2        Adam beta2
     * @param eps          Adam epsilon
     * @param puzzleEmbLr  peak rate of the puzzle-embedding table's sign-SGD ({@link SparseEmbeddingSignSgd}; the
     *                     official {@code puzzle_emb_lr}, default 1e-2), on the same schedule shape as lr; 0 keeps
     *                     the table as loaded. Only models with puzzle_emb_ndim > 0 have a table
     * @param puzzleEmbWeightDecay decoupled weight decay of that sign-SGD (official {@code puzzle_emb_weight_decay},
     *                     default 0.1)
     * @param ema          rate of the exponential moving average of the weights ({@link EmaWeights}; TRM's recipes:
     *                     0.999): the held-out evaluation and the best/ and last/ model folders use the averaged
     *                     weights, the optimizer trains the raw ones (kept in last/raw/). Null: no average
     */
    public record Optimizer(Double lr, Integer warmupSteps, String schedule, Double minLrRatio, Double dropAt,
                            Double weightDecay, Double beta1, Double beta2, Double eps, Double puzzleEmbLr,
                            Double puzzleEmbWeightDecay, Double ema) {
        public Optimizer {
            lr = Objects.requireNonNullElse(lr, 1e-3);
            warmupSteps = Objects.requireNonNullElse(warmupSteps, 200);
            schedule = Objects.requireNonNullElse(schedule, "cosine");
            minLrRatio = Objects.requireNonNullElse(minLrRatio, 0.1);
            dropAt = Objects.requireNonNullElse(dropAt, 0.6);
            weightDecay = Objects.requireNonNullElse(weightDecay, 0.1);
            beta1 = Objects.requireNonNullElse(beta1, 0.9);
            beta2 = Objects.requireNonNullElse(beta2, 0.95);
            eps = Objects.requireNonNullElse(eps, 1e-8);
            puzzleEmbLr = Objects.requireNonNullElse(puzzleEmbLr, 1e-2);
            puzzleEmbWeightDecay = Objects.requireNonNullElse(puzzleEmbWeightDecay, 0.1);
            if (puzzleEmbLr < 0 || puzzleEmbWeightDecay < 0) {
                throw new IllegalArgumentException("optimizer.puzzle_emb_lr and puzzle_emb_weight_decay must not be negative");
            }
            if (ema != null && !(ema > 0 && ema < 1)) {
                throw new IllegalArgumentException("optimizer.ema " + ema + ": expected a rate in (0, 1), or null for none");
            }
        }

        /** Without the puzzle-embedding and EMA fields: their defaults, no EMA. */
        public Optimizer(Double lr, Integer warmupSteps, String schedule, Double minLrRatio, Double dropAt,
                         Double weightDecay, Double beta1, Double beta2, Double eps) {
            this(lr, warmupSteps, schedule, minLrRatio, dropAt, weightDecay, beta1, beta2, eps, null, null, null);
        }

        public LrSchedule schedule(int totalSteps) {
            return new LrSchedule(kind(), lr, warmupSteps, totalSteps, minLrRatio, dropAt);
        }

        /** The puzzle-embedding sign-SGD's schedule: lr's shape at peak puzzle_emb_lr (which must be positive). */
        public LrSchedule puzzleEmbSchedule(int totalSteps) {
            return new LrSchedule(kind(), puzzleEmbLr, warmupSteps, totalSteps, minLrRatio, dropAt);
        }

        private LrSchedule.Kind kind() {
            return switch (schedule) {
                case "cosine" -> LrSchedule.Kind.COSINE;
                case "step" -> LrSchedule.Kind.STEP;
                default -> throw new IllegalArgumentException("optimizer.schedule '" + schedule + "': expected cosine or step");
            };
        }
    }

    /**
     * @param every   steps between evaluations (0: never)
     * @param puzzles held-out puzzles, generated from the training domain with {@code seed}
     * @param seed    seed of the held-out puzzles (differs from the training seed)
     * @param csv     an HRM CSV to evaluate on instead
     */
    public record Eval(Integer every, Integer puzzles, Long seed, String csv) {
        public Eval {
            every = Objects.requireNonNullElse(every, 250);
            puzzles = Objects.requireNonNullElse(puzzles, 256);
            seed = Objects.requireNonNullElse(seed, 987_654_321L);
        }
    }

    public TrainConfig {
        arch = arch == null ? new LinkedHashMap<>() : new LinkedHashMap<>(arch);
        data = Objects.requireNonNullElse(data, new Data(null, null, null, null, null, null, null));
        batchSize = Objects.requireNonNullElse(batchSize, 64);
        steps = Objects.requireNonNullElse(steps, 1000);
        seed = Objects.requireNonNullElse(seed, 0L);
        optimizer = Objects.requireNonNullElse(optimizer, new Optimizer(null, null, null, null, null, null, null, null, null, null, null, null));
        eval = Objects.requireNonNullElse(eval, new Eval(null, null, null, null));
        checkpointEvery = Objects.requireNonNullElse(checkpointEvery, 100);
        threads = Objects.requireNonNullElse(threads, 2);
        output = Objects.requireNonNullElse(output, "runs/train");
        if (batchSize < 1 || steps < 1 || checkpointEvery < 1 || threads < 1) {
            throw new IllegalArgumentException("batch_size, steps, checkpoint_every and threads must be positive");
        }
    }

    public static TrainConfig read(Path file) throws IOException {
        return YAML.readValue(file.toFile(), TrainConfig.class);
    }

    public String toYaml() throws IOException {
        return YAML.writeValueAsString(this);
    }

    /** The model config: the arch fields over the data task's seq_len / vocab_size / one puzzle identifier. */
    public ModelConfig modelConfig() {
        Map<String, Object> fields = new LinkedHashMap<>(arch);
        String name = String.valueOf(fields.remove("name"));
        Architecture architecture = Architecture.ofName(name);
        fields.putIfAbsent("seq_len", data.seqLen());
        fields.putIfAbsent("vocab_size", data.vocabSize());
        fields.putIfAbsent("num_puzzle_identifiers", 1);
        fields.putIfAbsent("batch_size", batchSize);
        fields.putIfAbsent("forward_dtype", "float32");
        return ModelConfig.fromOfficialFields(architecture, fields);
    }
}
