package io.hrmstream.puzzles;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The puzzle tasks this product knows, by name. */
public final class PuzzleTasks {

    private static final Map<String, PuzzleTask> BY_NAME = Stream.of(new SudokuTask(), new MazeTask(), new ArcTask())
            .collect(Collectors.toUnmodifiableMap(PuzzleTask::name, Function.identity()));

    private PuzzleTasks() {
    }

    /** The task with this name, e.g. "sudoku". */
    public static Optional<PuzzleTask> forName(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }

    /**
     * The one task whose vocabulary has {@code vocabSize} tokens (sudoku 11, maze 6, ARC 12), or empty when none or
     * several do: how a model folder that does not record its task is matched to one.
     */
    public static Optional<PuzzleTask> forVocabSize(int vocabSize) {
        var matching = BY_NAME.values().stream().filter(t -> t.vocabSize() == vocabSize).toList();
        return matching.size() == 1 ? Optional.of(matching.get(0)) : Optional.empty();
    }

    /** Every task name, sorted. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(BY_NAME.keySet()));
    }
}
