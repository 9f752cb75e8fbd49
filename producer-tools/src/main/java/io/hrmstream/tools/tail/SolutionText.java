package io.hrmstream.tools.tail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hrmstream.puzzles.MazeTask;
import io.hrmstream.puzzles.SudokuTask;
import io.hrmstream.puzzles.data.HrmCsv;
import io.hrmstream.schemas.PuzzleSolution;
import io.hrmstream.tools.input.CellGrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@link PuzzleSolution} as people read it: a JSON line (for jq and scripts) or a header line over the drawn
 * grid. Cells are drawn in the task's own alphabet: sudoku digits with {@code '.'} for a blank, maze rows as the
 * ASCII they are, ARC colours as digits 0-9 (on their ARC colour when {@code ansi}). A grid whose cells do not fill
 * rows x cols is an {@link IllegalArgumentException} from every method, for the caller to report and skip.
 */
public final class SolutionText {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A cell that is not in the task's alphabet: shown, not hidden, so a bad answer stays visible. */
    private static final char UNKNOWN = '?';
    private static final String ANSI_RESET = "\u001b[0m";
    /** ARC's palette (black, blue, red, green, yellow, grey, magenta, orange, azure, maroon) in xterm-256 colours. */
    private static final int[] ARC_BACKGROUND = {16, 27, 196, 40, 226, 244, 201, 208, 117, 88};
    /** The colours a white digit reads on; the others get a black one. */
    private static final boolean[] ARC_DARK = {true, true, true, false, false, false, true, false, false, true};

    private SolutionText() {
    }

    /** One line: the solution's fields, with the grid as rows of strings ({@code null} when there is none). */
    public static String json(PuzzleSolution solution) {
        ObjectNode node = JSON.createObjectNode();
        node.put("requestId", solution.getRequestId());
        node.put("task", solution.getTask());
        node.put("status", solution.getStatus().name());
        node.put("steps", solution.getSteps());
        node.put("maxSteps", solution.getMaxSteps());
        node.put("haltedBy", solution.getHaltedBy().name());
        node.put("haltConfidence", solution.getHaltConfidence());
        node.put("samples", solution.getSamples());
        node.put("computeSteps", solution.getComputeSteps());
        node.put("latencyMs", solution.getLatencyMs());
        node.put("error", solution.getError());
        node.put("model", solution.getModel());
        node.put("workerId", solution.getWorkerId());
        if (solution.getSolution() == null) {
            node.putNull("solution");
        } else {
            ArrayNode rows = node.putArray("solution");
            rows(solution.getTask(), CellGrid.of(solution.getSolution())).forEach(rows::add);
        }
        if (solution.getVotes() > 0) {   // ARC voting: the runner-up, pass@2's second attempt
            node.put("votes", solution.getVotes());
            if (solution.getSecondSolution() == null) {
                node.putNull("secondSolution");
            } else {
                ArrayNode rows = node.putArray("secondSolution");
                rows(solution.getTask(), CellGrid.of(solution.getSecondSolution())).forEach(rows::add);
            }
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /**
     * A header line (id, task, status, steps, haltedBy, confidence), the error if any, then the grid (a sudoku with
     * its 3x3 boxes ruled), and a blank line to part it from the next.
     *
     * @param ansi draw ARC colours as ANSI backgrounds (for a terminal only: the escapes are noise anywhere else)
     */
    public static String grid(PuzzleSolution solution, boolean ansi) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s %s %s steps=%d/%d haltedBy=%s confidence=%.3f%n",
                solution.getRequestId(), solution.getTask(), solution.getStatus(), solution.getSteps(),
                solution.getMaxSteps(), solution.getHaltedBy(), solution.getHaltConfidence()));
        if (solution.getError() != null) {
            out.append("error: ").append(solution.getError()).append(System.lineSeparator());
        }
        if (solution.getSolution() == null) {
            out.append("(no solution)").append(System.lineSeparator());
        } else {
            CellGrid grid = CellGrid.of(solution.getSolution());
            List<String> lines = isSudoku(solution.getTask(), grid) ? sudokuLines(grid)
                    : ansi && "arc".equals(solution.getTask()) ? arcColourLines(grid)
                    : rows(solution.getTask(), grid);
            lines.forEach(line -> out.append(line).append(System.lineSeparator()));
        }
        return out.append(System.lineSeparator()).toString();
    }

    /** The grid's rows, one character a cell, in the task's alphabet. */
    public static List<String> rows(String task, CellGrid grid) {
        byte[] cells = grid.cells();
        List<String> rows = new ArrayList<>(grid.rows());
        for (int r = 0; r < grid.rows(); r++) {
            StringBuilder row = new StringBuilder(grid.cols());
            for (int c = 0; c < grid.cols(); c++) {
                row.append(cell(task, cells[r * grid.cols() + c]));
            }
            rows.add(row.toString());
        }
        return rows;
    }

    static char cell(String task, byte cell) {
        if ("sudoku".equals(task)) {
            return cell == 0 ? HrmCsv.SUDOKU_BLANK : cell >= 1 && cell <= 9 ? (char) ('0' + cell) : UNKNOWN;
        }
        if ("maze".equals(task)) {
            return MazeTask.CHARSET.indexOf(cell) >= 0 ? (char) cell : UNKNOWN;
        }
        // ARC colours, and any task added later: small values are digits, printable ASCII is itself
        if (cell >= 0 && cell <= 9) {
            return (char) ('0' + cell);
        }
        return cell >= 0x20 && cell < 0x7F ? (char) cell : UNKNOWN;
    }

    private static boolean isSudoku(String task, CellGrid grid) {
        return "sudoku".equals(task) && grid.rows() == SudokuTask.SIZE && grid.cols() == SudokuTask.SIZE;
    }

    /** {@code 5 3 4 | 6 7 8 | 9 1 2} with a rule under every third row: boxes are what a reader checks. */
    private static List<String> sudokuLines(CellGrid grid) {
        List<String> lines = new ArrayList<>();
        for (String row : rows("sudoku", grid)) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length(); c++) {
                if (c > 0) {
                    line.append(c % SudokuTask.BOX == 0 ? " | " : " ");
                }
                line.append(row.charAt(c));
            }
            lines.add(line.toString());
        }
        // the rule crosses the column bars where they are: ------+-------+------
        String rule = lines.get(0).replaceAll("[^|]", "-").replace('|', '+');
        for (int r = SudokuTask.SIZE - SudokuTask.BOX; r > 0; r -= SudokuTask.BOX) {
            lines.add(r, rule);
        }
        return lines;
    }

    /** Each cell two characters wide on its colour, so the grid looks square. */
    private static List<String> arcColourLines(CellGrid grid) {
        byte[] cells = grid.cells();
        List<String> lines = new ArrayList<>(grid.rows());
        for (int r = 0; r < grid.rows(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < grid.cols(); c++) {
                byte cell = cells[r * grid.cols() + c];
                if (cell >= 0 && cell <= 9) {
                    line.append(String.format(Locale.ROOT, "\u001b[48;5;%d;38;5;%dm%d %s", ARC_BACKGROUND[cell],
                            ARC_DARK[cell] ? 15 : 16, cell, ANSI_RESET));
                } else {
                    line.append(cell("arc", cell)).append(' ');
                }
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
