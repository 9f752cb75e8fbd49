package io.hrmstream.puzzles;

import io.hrmstream.schemas.Grid;
import io.hrmstream.schemas.SolveStatus;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * 9x9 Sudoku. Cells: 0 = blank, 1..9 = digits. Tokens as the official builder
 * ({@code dataset/build_sudoku_dataset.py}): token = cell + 1, so pad = 0, blank = 1, digit d = d + 1;
 * vocabulary 11, sequence 81.
 *
 * <p>Verifier: every row, column and 3x3 box holds 1..9 once, and every given of the input is kept.
 */
public final class SudokuTask implements PuzzleTask {

    public static final int SIZE = 9;
    public static final int BOX = 3;
    public static final int SEQ_LEN = SIZE * SIZE;
    /** PAD + "0" ... "9". */
    public static final int VOCAB_SIZE = 10 + 1;
    public static final int PAD = 0;

    private static final PuzzleSymmetries SYMMETRIES = new SudokuSymmetries();

    @Override
    public Optional<PuzzleSymmetries> symmetries() {
        return Optional.of(SYMMETRIES);
    }

    @Override
    public OptionalInt officialSeqLen() {
        return OptionalInt.of(SEQ_LEN);   // 9x9
    }

    @Override
    public String name() {
        return "sudoku";
    }

    @Override
    public int vocabSize() {
        return VOCAB_SIZE;
    }

    @Override
    public Optional<String> checkInput(Grid grid) {
        Optional<String> shape = Grids.checkShape(grid);
        if (shape.isPresent()) return shape;
        if (grid.getRows() != SIZE || grid.getCols() != SIZE) {
            return Optional.of("sudoku needs a 9x9 grid, got " + grid.getRows() + "x" + grid.getCols());
        }
        byte[] cells = Grids.cells(grid);
        for (int i = 0; i < SEQ_LEN; i++) {
            if (cells[i] < 0 || cells[i] > 9) {
                return Optional.of("cell at " + Grids.position(i, SIZE) + " is " + Grids.show(cells[i])
                        + "; sudoku cells are 0 (blank) or 1..9");
            }
        }
        return conflictingGiven(cells);
    }

    /** A digit given twice in a row, column or box makes the puzzle unsolvable: say where. */
    private static Optional<String> conflictingGiven(byte[] cells) {
        for (int unit = 0; unit < SIZE; unit++) {
            int rowSeen = 0, colSeen = 0, boxSeen = 0;
            for (int k = 0; k < SIZE; k++) {
                int row = cells[unit * SIZE + k], col = cells[k * SIZE + unit];
                int box = cells[(unit / BOX * BOX + k / BOX) * SIZE + unit % BOX * BOX + k % BOX];
                if (row != 0 && (rowSeen & 1 << row) != 0) return Optional.of("given " + row + " appears twice in row " + unit);
                if (col != 0 && (colSeen & 1 << col) != 0) return Optional.of("given " + col + " appears twice in col " + unit);
                if (box != 0 && (boxSeen & 1 << box) != 0) return Optional.of("given " + box + " appears twice in box " + unit);
                rowSeen |= 1 << row;
                colSeen |= 1 << col;
                boxSeen |= 1 << box;
            }
        }
        return Optional.empty();
    }

    @Override
    public int[] encode(Grid grid) {
        byte[] cells = Grids.cells(grid);
        int[] tokens = new int[SEQ_LEN];
        for (int i = 0; i < SEQ_LEN; i++) tokens[i] = cells[i] + 1;
        return tokens;
    }

    /** Token t in 1..10 is cell t - 1; the pad token (no prediction) leaves the input's cell. */
    @Override
    public Grid decode(int[] tokens, Grid input) {
        if (tokens.length != SEQ_LEN) {
            throw new IllegalArgumentException("sudoku answers have " + SEQ_LEN + " tokens, got " + tokens.length);
        }
        byte[] cells = Grids.cells(input);
        for (int i = 0; i < SEQ_LEN; i++) {
            int token = tokens[i];
            if (token < 0 || token >= VOCAB_SIZE) {
                throw new IllegalArgumentException("token " + token + " at " + i + " is outside the sudoku vocabulary 0.." + (VOCAB_SIZE - 1));
            }
            if (token != PAD) cells[i] = (byte) (token - 1);
        }
        return Grids.of(SIZE, SIZE, cells);
    }

    @Override
    public SolveStatus verify(Grid input, Grid answer) {
        return isSolution(Grids.cells(input), answer) ? SolveStatus.SOLVED : SolveStatus.INVALID;
    }

    private static boolean isSolution(byte[] givens, Grid answer) {
        if (answer.getRows() != SIZE || answer.getCols() != SIZE || answer.getCells().remaining() != SEQ_LEN) return false;
        byte[] cells = Grids.cells(answer);
        for (int i = 0; i < SEQ_LEN; i++) {
            if (cells[i] < 1 || cells[i] > 9) return false;
            if (givens[i] != 0 && givens[i] != cells[i]) return false;
        }
        final int allDigits = 0b11_1111_1110;
        for (int unit = 0; unit < SIZE; unit++) {
            int row = 0, col = 0, box = 0;
            for (int k = 0; k < SIZE; k++) {
                row |= 1 << cells[unit * SIZE + k];
                col |= 1 << cells[k * SIZE + unit];
                box |= 1 << cells[(unit / BOX * BOX + k / BOX) * SIZE + unit % BOX * BOX + k % BOX];
            }
            if (row != allDigits || col != allDigits || box != allDigits) return false;
        }
        return true;
    }
}
