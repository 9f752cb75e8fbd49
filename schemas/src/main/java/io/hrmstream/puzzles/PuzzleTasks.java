package io.hrmstream.puzzles;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.Collections;
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

    /** Every task name, sorted. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(BY_NAME.keySet()));
    }
}
