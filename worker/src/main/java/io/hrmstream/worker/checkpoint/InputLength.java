package io.hrmstream.worker.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.puzzles.PuzzleTask;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where the input length ({@code seq_len}) of an official checkpoint folder comes from when neither its
 * {@code all_config.yaml} (the official runs never record it: it lives in the data set's {@code dataset.json}) nor
 * its tensors (RoPE and no positions have none as long as the input) fix it. In this order: the {@code --seq-len}
 * flag, a {@code dataset.json} beside the checkpoint (the official builder's metadata, field {@code seq_len}), the
 * task's official length ({@link PuzzleTask#officialSeqLen()}: sudoku 81, maze and ARC 900). A folder with our
 * {@code config.json} keeps its own {@code seq_len}; learned positions fix it from their tensor, and a flag that
 * disagrees with them is an error.
 *
 * @param flag the {@code --seq-len} the user gave, if any
 * @param task the task the model is served for, if known
 */
public record InputLength(OptionalInt flag, Optional<PuzzleTask> task) {

    public static final String DATASET_JSON = "dataset.json";

    /** Nothing known: only the folder's own files can fix the length. */
    public static InputLength unknown() {
        return new InputLength(OptionalInt.empty(), Optional.empty());
    }

    /** The length a flag or the caller's inputs fix. */
    public static InputLength of(int seqLen) {
        return new InputLength(OptionalInt.of(seqLen), Optional.empty());
    }

    /** The length for an official folder {@code dir} whose tensors do not fix it; the error names every source. */
    int resolve(Path dir) throws IOException {
        if (flag.isPresent()) return flag.getAsInt();
        List<String> tried = new ArrayList<>();
        tried.add("no --seq-len");
        Path dataset = dir.resolve(DATASET_JSON);
        if (Files.isRegularFile(dataset)) {
            JsonNode seqLen = new ObjectMapper().readTree(dataset.toFile()).get("seq_len");
            if (seqLen != null && seqLen.canConvertToInt() && seqLen.asInt() > 0) return seqLen.asInt();
            tried.add(dataset + " has no positive seq_len");
        } else {
            tried.add("no " + DATASET_JSON + " in " + dir);
        }
        if (task.isPresent()) {
            OptionalInt official = task.get().officialSeqLen();
            if (official.isPresent()) return official.getAsInt();
            tried.add("task " + task.get().name() + " has no official length");
        } else {
            tried.add("no task given");
        }
        throw new IOException("seq_len is not in all_config.yaml and this model's tensors do not fix it (rope or no"
                + " positions); tried: " + String.join(", ", tried) + ". Give --seq-len N or put the data set's "
                + DATASET_JSON + " beside the checkpoint");
    }

    /** Checks a flag against the length the tensors fix. */
    void check(int fromTensors) {
        if (flag.isPresent() && flag.getAsInt() != fromTensors) {
            throw new IllegalArgumentException("--seq-len " + flag.getAsInt() + " disagrees with the checkpoint's "
                    + "learned positions, which fix seq_len " + fromTensors);
        }
    }
}
