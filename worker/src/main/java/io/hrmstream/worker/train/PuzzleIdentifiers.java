package io.hrmstream.worker.train;

import io.hrmstream.puzzles.data.HrmCsv;
import io.hrmstream.puzzles.data.LabeledPuzzle;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which row of the puzzle-embedding table a CSV puzzle trains and is read with. The official data builders give
 * every puzzle (ARC: every puzzle and augmentation) its own identifier, with 0 reserved for {@code <blank>}, and
 * write the list as {@code identifiers.json}. An HRM CSV names its puzzles in the {@code source} column, so each
 * distinct source value gets an identifier, numbered from 1 in order of first appearance in the training CSV; a
 * puzzle whose source the training CSV lacks (a held-out row) reads row 0. A model with one identifier (the default,
 * and the official sudoku and maze setting) puts every puzzle on row 0, and then nothing is read.
 */
public final class PuzzleIdentifiers {

    /** The official name of identifier 0. */
    public static final String BLANK = "<blank>";
    /** Every puzzle on row 0. */
    public static final PuzzleIdentifiers NONE = new PuzzleIdentifiers(Map.of());

    private final Map<String, Integer> bySource;

    private PuzzleIdentifiers(Map<String, Integer> bySource) {
        this.bySource = bySource;
    }

    /**
     * The identifiers of a training CSV's sources; {@link #NONE} when the model has one identifier.
     *
     * @throws IllegalArgumentException when the sources (plus the blank row 0) need more rows than the model has
     */
    public static PuzzleIdentifiers ofCsv(Path file, String task, int numPuzzleIdentifiers) throws IOException {
        if (numPuzzleIdentifiers <= 1) return NONE;
        try (Reader in = HrmCsv.open(file); Stream<LabeledPuzzle> rows = HrmCsv.read(in, task)) {
            return of(rows.map(LabeledPuzzle::source), numPuzzleIdentifiers, file.toString());
        }
    }

    /** The identifiers of {@code sources} in order of first appearance, from 1. */
    static PuzzleIdentifiers of(Stream<String> sources, int numPuzzleIdentifiers, String where) {
        Map<String, Integer> bySource = new LinkedHashMap<>();
        sources.forEach(s -> bySource.putIfAbsent(s, bySource.size() + 1));
        if (bySource.size() + 1 > numPuzzleIdentifiers) {
            throw new IllegalArgumentException(where + ": " + bySource.size() + " distinct sources need "
                    + (bySource.size() + 1) + " puzzle identifiers (0 is the blank one), the model has "
                    + "num_puzzle_identifiers " + numPuzzleIdentifiers);
        }
        return new PuzzleIdentifiers(Collections.unmodifiableMap(bySource));
    }

    /** The identifier of a puzzle from {@code source}: 0 when it is not a training source. */
    public int of(String source) {
        return bySource.getOrDefault(source, 0);
    }

    /** Whether every puzzle is on row 0. */
    public boolean isEmpty() {
        return bySource.isEmpty();
    }

    /** The official {@code identifiers.json}: entry i names identifier i. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        names.add(BLANK);
        names.addAll(bySource.keySet());
        return names;
    }
}
