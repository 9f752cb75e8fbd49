package io.hrmstream.tools.input;

import io.hrmstream.puzzles.data.LabeledPuzzle;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/** {@code count} puzzles made on the fly by a {@link GeneratorSpec}; each pass makes the same ones again. */
public final class GeneratedSource implements PuzzleSource {

    private final GeneratorSpec spec;
    private final long count;
    private final int puzzleId;

    public GeneratedSource(GeneratorSpec spec, long count, int puzzleId) {
        if (count < 1) {
            throw new IllegalArgumentException("generating needs --count of at least 1, got " + count);
        }
        this.spec = spec;
        this.count = count;
        this.puzzleId = puzzleId;
    }

    @Override
    public String describe() {
        return count + " x " + spec.sourceLabel();
    }

    @Override
    public PuzzleStream open() {
        Supplier<LabeledPuzzle> generator = spec.generator();
        Iterator<Puzzle> puzzles = new Iterator<>() {
            private long made;

            @Override
            public boolean hasNext() {
                return made < count;
            }

            @Override
            public Puzzle next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                LabeledPuzzle p = generator.get();
                return new Puzzle(spec.task(), CellGrid.of(p.question()), CellGrid.of(p.answer()), puzzleId,
                        "generated#" + made++);
            }
        };
        return PuzzleStream.of(puzzles, () -> { });
    }
}
