package io.hrmstream.tools.input;

import io.hrmstream.schemas.Grid;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An immutable grid in a task's cell alphabet, row-major, one byte a cell: what the tools keep of a question or a
 * known answer. {@link Grid} is the mutable Avro form that goes on the wire.
 */
public record CellGrid(int rows, int cols, byte[] cells) {

    public CellGrid {
        if (rows < 1 || cols < 1 || cells == null || cells.length != rows * cols) {
            throw new IllegalArgumentException("a grid needs rows*cols cells, got rows=" + rows + " cols=" + cols
                    + " cells=" + (cells == null ? "none" : cells.length));
        }
        cells = cells.clone();
    }

    public static CellGrid of(Grid grid) {
        return new CellGrid(grid.getRows(), grid.getCols(), bytesOf(grid.getCells()));
    }

    public Grid toAvro() {
        return new Grid(rows, cols, ByteBuffer.wrap(cells.clone()));
    }

    /** True when {@code grid} has the same shape and exactly the same cells. */
    public boolean matches(Grid grid) {
        return grid != null
                && grid.getRows() == rows
                && grid.getCols() == cols
                && Arrays.equals(bytesOf(grid.getCells()), cells);
    }

    @Override
    public byte[] cells() {
        return cells.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CellGrid other && other.rows == rows && other.cols == cols
                && Arrays.equals(other.cells, cells);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(cells);
    }

    @Override
    public String toString() {
        return "CellGrid[" + rows + "x" + cols + "]";
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        // read through a duplicate: the record's buffer position must not move
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
