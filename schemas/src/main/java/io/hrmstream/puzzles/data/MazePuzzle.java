package io.hrmstream.puzzles.data;

import io.hrmstream.schemas.Grid;

/**
 * A maze and its answer.
 *
 * @param maze       walls '#', open ' ', start 'S', goal 'G'
 * @param solution   the maze with a shortest S-to-G path marked 'o'
 * @param pathLength moves on the shortest path: the difficulty measure
 */
public record MazePuzzle(Grid maze, Grid solution, int pathLength) {
}
