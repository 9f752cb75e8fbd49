package io.hrmstream.puzzles.data;

import io.hrmstream.schemas.Grid;

/**
 * One input/output pair of an ARC task.
 *
 * @param input  the input grid
 * @param output the expected output, or null where the file withholds it (hidden test outputs)
 */
public record ArcExample(Grid input, Grid output) {
}
