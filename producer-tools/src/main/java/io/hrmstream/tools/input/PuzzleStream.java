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
}
