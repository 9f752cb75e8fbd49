package io.hrmstream.puzzles;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.SolveStatus;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * ARC grids: colours 0..9, 1..30 rows and columns. Tokens as the official builder
 * ({@code dataset/build_arc_dataset.py}, {@code _pad_grid} without translation): a 30x30 canvas of pad
 * tokens (0), the grid at the top-left as colour + 2, an end-of-sequence token (1) on the row below the
 * grid and on the column right of it; vocabulary 12, sequence 900. Answers are read back as the official
 * evaluator's {@code _crop} does: the largest top-left rectangle of colour tokens.
 *
 * <p>No verifier: answers are {@link SolveStatus#ANSWERED}.
 */
public final class ArcTask implements PuzzleTask {

    public static final int MAX_SIZE = 30;
    public static final int SEQ_LEN = MAX_SIZE * MAX_SIZE;
    public static final int PAD = 0;
    public static final int EOS = 1;
    public static final int COLOR_OFFSET = 2;
    public static final int MAX_COLOR = 9;
    /** Colours 0..9, one pad token, one end-of-sequence token. */
    public static final int VOCAB_SIZE = MAX_COLOR + 1 + 1 + 1;

    @Override
    public OptionalInt officialSeqLen() {
        return OptionalInt.of(30 * 30);   // the official ARC builder pads every grid to 30x30
    }

    @Override
    public String name() {
        return "arc";
    }

    @Override
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    @Override
    public Optional<String> checkInput(Grid grid) {
        if (grid.getRows() > MAX_SIZE || grid.getCols() > MAX_SIZE) {
            return Optional.of("ARC grids are at most 30x30, got " + grid.getRows() + "x" + grid.getCols());
        }
        Optional<String> shape = Grids.checkShape(grid);
        if (shape.isPresent()) return shape;
        byte[] cells = Grids.cells(grid);
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] < 0 || cells[i] > MAX_COLOR) {
                return Optional.of("cell at " + Grids.position(i, grid.getCols()) + " is " + Grids.show(cells[i])
                        + "; ARC colours are 0..9");
            }
        }
        return Optional.empty();
    }

    @Override
    public int[] encode(Grid grid) {
        int rows = grid.getRows(), cols = grid.getCols();
        byte[] cells = Grids.cells(grid);
        int[] canvas = new int[SEQ_LEN]; // all PAD
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) canvas[r * MAX_SIZE + c] = cells[r * cols + c] + COLOR_OFFSET;
        }
        if (rows < MAX_SIZE) {
            for (int c = 0; c < cols; c++) canvas[rows * MAX_SIZE + c] = EOS;
        }
        if (cols < MAX_SIZE) {
            for (int r = 0; r < rows; r++) canvas[r * MAX_SIZE + cols] = EOS;
        }
        return canvas;
    }

    /**
     * The official {@code _crop}: going down the rows, each row's run of colour tokens from the left
     * (never wider than the row above's) bounds a rectangle; the one with the largest area is the answer.
     * It may be empty (0x0) when the first token is not a colour.
     */
    @Override
    public Grid decode(int[] tokens, Grid input) {
        if (tokens.length != SEQ_LEN) {
            throw new IllegalArgumentException("ARC answers have " + SEQ_LEN + " tokens, got " + tokens.length);
        }
        int maxArea = 0, bestRows = 0, bestCols = 0;
        int width = MAX_SIZE;
        for (int rows = 1; rows <= MAX_SIZE; rows++) {
            for (int c = 1; c <= width; c++) {
                int token = tokens[(rows - 1) * MAX_SIZE + c - 1];
                if (token < COLOR_OFFSET || token > COLOR_OFFSET + MAX_COLOR) {
                    width = c - 1;
                    break;
                }
            }
            if (rows * width > maxArea) {
                maxArea = rows * width;
                bestRows = rows;
                bestCols = width;
            }
        }
        byte[] cells = new byte[bestRows * bestCols];
        for (int r = 0; r < bestRows; r++) {
            for (int c = 0; c < bestCols; c++) cells[r * bestCols + c] = (byte) (tokens[r * MAX_SIZE + c] - COLOR_OFFSET);
        }
        return Grids.of(bestRows, bestCols, cells);
    }

    @Override
    public SolveStatus verify(Grid input, Grid answer) {
        return SolveStatus.ANSWERED;
    }
}
