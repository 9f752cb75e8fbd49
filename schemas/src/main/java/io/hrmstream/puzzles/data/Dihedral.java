package io.hrmstream.puzzles.data;

import io.hrmstream.puzzles.Grids;
import io.hrmstream.schemas.Grid;

/**
 * The 8 symmetries of a rectangle's grid, numbered as the official {@code dihedral_transform} in
 * {@code dataset/common.py} (numpy's {@code rot90} turns counter-clockwise):
 * 0 identity, 1 rot90, 2 rot180, 3 rot270, 4 fliplr, 5 flipud, 6 transpose, 7 anti-diagonal reflection.
 */
public final class Dihedral {

    public static final int COUNT = 8;
    /** {@code INVERSE[t]} undoes transform t (the official {@code DIHEDRAL_INVERSE}). */
    private static final int[] INVERSE = {0, 3, 2, 1, 4, 5, 6, 7};

    private Dihedral() {
    }

    public static int inverse(int transform) {
        return INVERSE[transform];
    }

    /** The grid under transform {@code t}; transforms 1, 3, 6 and 7 swap rows and columns. */
    public static Grid transform(Grid grid, int t) {
        int rows = grid.getRows(), cols = grid.getCols();
        byte[] in = Grids.cells(grid);
        boolean swaps = t == 1 || t == 3 || t == 6 || t == 7;
        int outRows = swaps ? cols : rows, outCols = swaps ? rows : cols;
        byte[] out = new byte[in.length];
        for (int i = 0; i < outRows; i++) {
            for (int j = 0; j < outCols; j++) {
                // (r, c): the source cell of output cell (i, j)
                int r, c;
                switch (t) {
                    case 0 -> { r = i; c = j; }
                    case 1 -> { r = j; c = cols - 1 - i; }              // rot90: out[i][j] = in[j][C-1-i]
                    case 2 -> { r = rows - 1 - i; c = cols - 1 - j; }
                    case 3 -> { r = rows - 1 - j; c = i; }              // rot270: out[i][j] = in[R-1-j][i]
                    case 4 -> { r = i; c = cols - 1 - j; }
                    case 5 -> { r = rows - 1 - i; c = j; }
                    case 6 -> { r = j; c = i; }
                    case 7 -> { r = rows - 1 - j; c = cols - 1 - i; }   // fliplr(rot90)
                    default -> throw new IllegalArgumentException("dihedral transform " + t + " is not in 0..7");
                }
                out[i * outCols + j] = in[r * cols + c];
            }
        }
        return Grids.of(outRows, outCols, out);
    }
}
