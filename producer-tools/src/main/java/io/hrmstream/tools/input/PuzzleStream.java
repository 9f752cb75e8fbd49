package io.hrmstream.tools.input;

import java.io.Closeable;
import java.util.Iterator;

/**
 * One pass over a source's puzzles. {@link #next()} and {@link #hasNext()} throw {@link PuzzleInputException} at the
 * first puzzle that cannot be read.
 */
public interface PuzzleStream extends Iterator<Puzzle>, Closeable {

    @Override
    void close();

    /** A stream over an iterator, closing {@code onClose} when closed. */
    static PuzzleStream of(Iterator<Puzzle> puzzles, Runnable onClose) {
        return new PuzzleStream() {
            @Override
            public boolean hasNext() {
                return puzzles.hasNext();
            }

            @Override
            public Puzzle next() {
                return puzzles.next();
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }
}
