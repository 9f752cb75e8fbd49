package io.hrmstream.tools.input;

import java.io.IOException;

/** Where puzzles come from: a file in one of the supported formats, or a generator. */
public interface PuzzleSource {

    /** Starts a pass from the first puzzle; a file source can be read any number of times. */
    PuzzleStream open() throws IOException;

    /** For messages: the file name or generator settings. */
    String describe();
}
