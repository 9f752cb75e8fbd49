package io.hrmstream.puzzles;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.SolveStatus;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Mazes in the official HRM charset ({@code dataset/build_maze_dataset.py}): cells are the ASCII bytes
 * {@code '#'} wall, {@code ' '} open, {@code 'S'} start, {@code 'G'} goal, and answers mark the path with
 * {@code 'o'}. Token = index in {@code "# SGo"} + 1 (pad 0), vocabulary 6, sequence rows*cols.
 *
 * <p>Verifier: walls, S and G are kept, only open cells become {@code 'o'}, the {@code 'o'} cells join S
 * to G (4-neighbour moves), and there are exactly as many as on a BFS shortest path.
 */
public final class MazeTask implements PuzzleTask {

    /** The official charset, in token order. */
    public static final String CHARSET = "# SGo";
    public static final byte WALL = '#', OPEN = ' ', START = 'S', GOAL = 'G', PATH = 'o';
    /** PAD + charset. */
    public static final int VOCAB_SIZE = CHARSET.length() + 1;
    public static final int PAD = 0;

    private static final PuzzleSymmetries SYMMETRIES = new DihedralSymmetries();

    @Override
    public Optional<PuzzleSymmetries> symmetries() {
        return Optional.of(SYMMETRIES);
    }

    @Override
    public OptionalInt officialSeqLen() {
        return OptionalInt.of(30 * 30);   // the official Maze-Hard builder pads to 30x30
    }

    @Override
    public String name() {
        return "maze";
    }

    @Override
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    @Override
    public Optional<String> checkInput(Grid grid) {
        Optional<String> shape = Grids.checkShape(grid);
        if (shape.isPresent()) return shape;
        byte[] cells = Grids.cells(grid);
        int starts = 0, goals = 0;
        for (int i = 0; i < cells.length; i++) {
            byte cell = cells[i];
            if (cell == START) starts++;
            else if (cell == GOAL) goals++;
            else if (cell != WALL && cell != OPEN) {
                return Optional.of("cell at " + Grids.position(i, grid.getCols()) + " is " + Grids.show(cell)
                        + "; maze inputs hold '#' wall, ' ' open, 'S' start and 'G' goal");
            }
        }
        if (starts != 1 || goals != 1) {
            return Optional.of("a maze needs exactly one 'S' and one 'G', found " + starts + " 'S' and " + goals + " 'G'");
        }
        if (shortestPathLength(cells, grid.getRows(), grid.getCols()) < 0) {
            return Optional.of("'G' cannot be reached from 'S' through open cells");
        }
        return Optional.empty();
    }

    @Override
    public int[] encode(Grid grid) {
        byte[] cells = Grids.cells(grid);
        int[] tokens = new int[cells.length];
        for (int i = 0; i < cells.length; i++) tokens[i] = CHARSET.indexOf(cells[i]) + 1;
        return tokens;
    }

    /** Token t in 1..5 is {@code CHARSET[t - 1]}; the pad token (no prediction) leaves the input's cell. */
    @Override
    public Grid decode(int[] tokens, Grid input) {
        byte[] cells = Grids.cells(input);
        if (tokens.length != cells.length) {
            throw new IllegalArgumentException("this maze has " + cells.length + " cells, got " + tokens.length + " tokens");
        }
        for (int i = 0; i < cells.length; i++) {
            int token = tokens[i];
            if (token < 0 || token >= VOCAB_SIZE) {
                throw new IllegalArgumentException("token " + token + " at " + i + " is outside the maze vocabulary 0.." + (VOCAB_SIZE - 1));
            }
            if (token != PAD) cells[i] = (byte) CHARSET.charAt(token - 1);
        }
        return Grids.of(input.getRows(), input.getCols(), cells);
    }

    @Override
    public SolveStatus verify(Grid input, Grid answer) {
        return isShortestPath(input, answer) ? SolveStatus.SOLVED : SolveStatus.INVALID;
    }

    private static boolean isShortestPath(Grid input, Grid answer) {
        int rows = input.getRows(), cols = input.getCols();
        if (answer.getRows() != rows || answer.getCols() != cols) return false;
        byte[] maze = Grids.cells(input);
        byte[] marked = Grids.cells(answer);
        if (marked.length != maze.length) return false;
        int pathCells = 0;
        for (int i = 0; i < maze.length; i++) {
            if (maze[i] == OPEN) {
                if (marked[i] == PATH) pathCells++;
                else if (marked[i] != OPEN) return false;
            } else if (marked[i] != maze[i]) {
                return false;
            }
        }
        int shortest = shortestPathLength(maze, rows, cols);
        // a shortest path of d moves passes d - 1 cells between S and G; S must reach G over 'o' cells only
        return shortest > 0 && pathCells == shortest - 1 && shortestPathLength(marked, rows, cols, PATH) == shortest;
    }

    /** Moves on a BFS shortest path from S to G through non-wall cells, or -1 when G is unreachable. */
    public static int shortestPathLength(byte[] cells, int rows, int cols) {
        return shortestPathLength(cells, rows, cols, OPEN);
    }

    /**
     * BFS distances from S over cells that are {@code passable} (plus G); -1 when G is not reached.
     */
    private static int shortestPathLength(byte[] cells, int rows, int cols, byte passable) {
        int[] distance = distancesFromStart(cells, rows, cols, passable);
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] == GOAL) return distance[i];
        }
        return -1;
    }

    /** BFS distance of every cell from S (-1 where unreachable), moving through passable cells into G. */
    static int[] distancesFromStart(byte[] cells, int rows, int cols, byte passable) {
        int[] distance = new int[cells.length];
        Arrays.fill(distance, -1);
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] == START) {
                distance[i] = 0;
                queue.add(i);
            }
        }
        while (!queue.isEmpty()) {
            int cell = queue.poll();
            if (cells[cell] == GOAL) continue;
            int r = cell / cols, c = cell % cols;
            int[] neighbours = {r > 0 ? cell - cols : -1, r < rows - 1 ? cell + cols : -1,
                    c > 0 ? cell - 1 : -1, c < cols - 1 ? cell + 1 : -1};
            for (int next : neighbours) {
                if (next >= 0 && distance[next] < 0 && (cells[next] == passable || cells[next] == GOAL)) {
                    distance[next] = distance[cell] + 1;
                    queue.add(next);
                }
            }
        }
        return distance;
    }
}
