package io.hrmstream.puzzles.data;

import java.util.List;

/**
 * An ARC task: demonstration pairs and test pairs.
 *
 * @param id    the task id (the file name without {@code .json}, or the key in a combined file)
 * @param train demonstration pairs
 * @param test  pairs to solve
 */
public record ArcPuzzle(String id, List<ArcExample> train, List<ArcExample> test) {
}
