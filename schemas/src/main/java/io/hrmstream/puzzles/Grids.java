package io.hrmstream.puzzles;

import io.hrmstream.schemas.Grid;

import java.nio.ByteBuffer;
import java.util.Optional;

/** Reading and building {@link Grid}s: row-major cells, one byte a cell. */
public final class Grids {

    private Grids() {
    }

    /** A grid over a copy of the cells. */
    public static Grid of(int rows, int cols, byte[] cells) {
        if ((long) rows * cols != cells.length) {
            throw new IllegalArgumentException(cells.length + " cells do not fill " + rows + "x" + cols);
        }
        return new Grid(rows, cols, ByteBuffer.wrap(cells.clone()));
    }

    /** A grid whose cells are the characters of a string (ASCII alphabets such as the maze's). */
    public static Grid ofChars(int rows, int cols, String cells) {
        byte[] bytes = new byte[cells.length()];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) cells.charAt(i);
        return of(rows, cols, bytes);
    }

    /** A copy of the grid's cells (from the buffer's position to its limit; the buffer is left as it was). */
    public static byte[] cells(Grid grid) {
        ByteBuffer buffer = grid.getCells().duplicate();
        byte[] cells = new byte[buffer.remaining()];
        buffer.get(cells);
        return cells;
    }

    /** Why the grid's cells do not fill rows x cols (positive sizes), or empty. */
    public static Optional<String> checkShape(Grid grid) {
        if (grid.getRows() < 1 || grid.getCols() < 1) {
            return Optional.of("grid is " + grid.getRows() + "x" + grid.getCols() + "; rows and cols must be >= 1");
        }
        long expected = (long) grid.getRows() * grid.getCols();
        int actual = grid.getCells().remaining();
        if (actual != expected) {
            return Optional.of("cells has " + actual + " bytes, expected rows*cols = " + grid.getRows() + "*"
                    + grid.getCols() + " = " + expected);
        }
        return Optional.empty();
    }

    /** "row r, col c" of a row-major index, zero-based. */
    static String position(int index, int cols) {
        return "row " + index / cols + ", col " + index % cols;
    }

    /** A byte as it reads in a message: a printable character in quotes, else its value. */
    static String show(byte cell) {
        return cell >= 0x20 && cell < 0x7F ? "'" + (char) cell + "' (" + cell + ")" : String.valueOf(cell & 0xFF);
    }
}
