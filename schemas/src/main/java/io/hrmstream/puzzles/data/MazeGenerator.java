package io.hrmstream.puzzles.data;

import io.hrmstream.puzzles.Grids;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.hrmstream.puzzles.MazeTask.GOAL;
import static io.hrmstream.puzzles.MazeTask.OPEN;
import static io.hrmstream.puzzles.MazeTask.PATH;
import static io.hrmstream.puzzles.MazeTask.START;
import static io.hrmstream.puzzles.MazeTask.WALL;

/**
 * Random N x N mazes in the official charset, with a shortest S-to-G path marked 'o'.
 *
 * <p>A perfect maze is carved by a randomized depth-first search over the cells at even coordinates;
 * then each remaining wall next to an open cell is opened with probability {@code loopFraction}, which
 * adds loops (so the shortest path must be found, not just followed) and uses the last row and column
 * when N is even. S and G are drawn among the open cells until their BFS distance is at least
 * {@code minPathLength} moves (the difficulty measure, recorded as {@link MazePuzzle#pathLength()}) and exactly one
 * shortest path joins them, so the marked answer is the only right one: a label a model can learn exactly (with
 * ties, which of the shortest paths gets marked would depend on the search order, not on the maze). Seeded: the
 * same seed and settings give the same mazes.
 */
public final class MazeGenerator {

    /** Draws of S and G per maze before carving a new maze. */
    private static final int PLACEMENT_TRIES = 64;
    /** Mazes carved per call before giving up on minPathLength. */
    private static final int MAZE_TRIES = 1000;

    private final int size;
    private final double loopFraction;
    private final int minPathLength;
    private final SplittableRandom random;

    /**
     * @param size          rows and columns, at least 3
     * @param loopFraction  probability of opening each wall next to an open cell after carving, in [0, 1)
     * @param minPathLength fewest moves from S to G, at least 1
     * @param seed          random seed
     */
    public MazeGenerator(int size, double loopFraction, int minPathLength, long seed) {
        if (size < 3) throw new IllegalArgumentException("maze size must be >= 3, got " + size);
        if (loopFraction < 0 || loopFraction >= 1) throw new IllegalArgumentException("loopFraction must be in [0, 1)");
        if (minPathLength < 1) throw new IllegalArgumentException("minPathLength must be >= 1, got " + minPathLength);
        this.size = size;
        this.loopFraction = loopFraction;
        this.minPathLength = minPathLength;
        this.random = new SplittableRandom(seed);
    }

    /**
     * The next maze.
     *
     * @throws IllegalStateException when no S and G {@code minPathLength} moves apart turn up in many mazes
     */
    public MazePuzzle next() {
        for (int mazes = 0; mazes < MAZE_TRIES; mazes++) {
            byte[] cells = carve();
            List<Integer> open = new ArrayList<>();
            for (int i = 0; i < cells.length; i++) if (cells[i] == OPEN) open.add(i);
            for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
                int start = open.get(random.nextInt(open.size()));
                int goal = open.get(random.nextInt(open.size()));
                if (start == goal) continue;
                byte[] maze = cells.clone();
                maze[start] = START;
                maze[goal] = GOAL;
                int[] previous = bfsFrom(maze, start);
                int length = pathLength(previous, start, goal);
                if (length < minPathLength || shortestPaths(maze, start, goal) != 1) continue;
                byte[] solved = maze.clone();
                for (int cell = previous[goal]; cell != start; cell = previous[cell]) solved[cell] = PATH;
                return new MazePuzzle(Grids.of(size, size, maze), Grids.of(size, size, solved), length);
            }
        }
        throw new IllegalStateException("no S and G " + minPathLength + " moves apart in " + MAZE_TRIES + " random "
                + size + "x" + size + " mazes; lower minPathLength or loopFraction");
    }

    private byte[] carve() {
        byte[] cells = new byte[size * size];
        Arrays.fill(cells, WALL);
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        int first = 0;
        cells[first] = OPEN;
        stack.push(first);
        int[][] steps = {{-2, 0}, {2, 0}, {0, -2}, {0, 2}};
        while (!stack.isEmpty()) {
            int cell = stack.peek(), r = cell / size, c = cell % size;
            List<int[]> unvisited = new ArrayList<>(4);
            for (int[] step : steps) {
                int nr = r + step[0], nc = c + step[1];
                if (nr >= 0 && nr < size && nc >= 0 && nc < size && cells[nr * size + nc] == WALL) unvisited.add(step);
            }
            if (unvisited.isEmpty()) {
                stack.pop();
                continue;
            }
            int[] step = unvisited.get(random.nextInt(unvisited.size()));
            int nr = r + step[0], nc = c + step[1];
            cells[(r + step[0] / 2) * size + c + step[1] / 2] = OPEN; // the wall between
            cells[nr * size + nc] = OPEN;
            stack.push(nr * size + nc);
        }
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] == WALL && nextToOpen(cells, i) && random.nextDouble() < loopFraction) cells[i] = OPEN;
        }
        return cells;
    }

    private boolean nextToOpen(byte[] cells, int i) {
        int r = i / size, c = i % size;
        return (r > 0 && cells[i - size] == OPEN) || (r < size - 1 && cells[i + size] == OPEN)
                || (c > 0 && cells[i - 1] == OPEN) || (c < size - 1 && cells[i + 1] == OPEN);
    }

    /** BFS predecessor of every cell reached from start through non-wall cells (-1 where not reached). */
    private int[] bfsFrom(byte[] maze, int start) {
        int[] previous = new int[maze.length];
        Arrays.fill(previous, -1);
        previous[start] = start;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            int cell = queue.poll(), r = cell / size, c = cell % size;
            int[] neighbours = {r > 0 ? cell - size : -1, r < size - 1 ? cell + size : -1,
                    c > 0 ? cell - 1 : -1, c < size - 1 ? cell + 1 : -1};
            for (int next : neighbours) {
                if (next >= 0 && previous[next] < 0 && maze[next] != WALL) {
                    previous[next] = cell;
                    queue.add(next);
                }
            }
        }
        return previous;
    }

    /** How many shortest paths join start to goal, counted up to 2 (BFS layers, path counts summed per cell). */
    private int shortestPaths(byte[] maze, int start, int goal) {
        int[] distance = new int[maze.length];
        int[] paths = new int[maze.length];
        Arrays.fill(distance, -1);
        distance[start] = 0;
        paths[start] = 1;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            int cell = queue.poll(), r = cell / size, c = cell % size;
            int[] neighbours = {r > 0 ? cell - size : -1, r < size - 1 ? cell + size : -1,
                    c > 0 ? cell - 1 : -1, c < size - 1 ? cell + 1 : -1};
            for (int next : neighbours) {
                if (next < 0 || maze[next] == WALL) continue;
                if (distance[next] < 0) {
                    distance[next] = distance[cell] + 1;
                    queue.add(next);
                }
                if (distance[next] == distance[cell] + 1) paths[next] = Math.min(2, paths[next] + paths[cell]);
            }
        }
        return paths[goal];
    }

    private static int pathLength(int[] previous, int start, int goal) {
        if (previous[goal] < 0) return -1;
        int moves = 0;
        for (int cell = goal; cell != start; cell = previous[cell]) moves++;
        return moves;
    }

    /** The same maze and answer under one of the 8 {@link Dihedral} transforms. */
    public static MazePuzzle transform(MazePuzzle puzzle, int t) {
        return new MazePuzzle(Dihedral.transform(puzzle.maze(), t), Dihedral.transform(puzzle.solution(), t),
                puzzle.pathLength());
    }
}
