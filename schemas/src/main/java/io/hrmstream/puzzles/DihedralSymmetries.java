package io.hrmstream.puzzles;

import io.hrmstream.puzzles.data.Dihedral;
import io.hrmstream.schemas.Grid;

/**
 * The dihedral symmetries of a grid (rotations and reflections, numbered as the official
 * {@code dihedral_transform}): a maze's start, goal and path marks move with its walls, so a shortest path of the
 * image is the image of a shortest path. View {@code k} takes the k-th non-identity transform in turn, so the
 * first 7 views of a square grid are all different; a grid that is not square keeps its shape and uses only the
 * three transforms that do (rot180, flips).
 */
final class DihedralSymmetries implements PuzzleSymmetries {

    private static final int[] SQUARE = {1, 2, 3, 4, 5, 6, 7};
    private static final int[] SHAPE_KEEPING = {2, 4, 5};

    @Override
    public GridSymmetry view(Grid input, long seed, int view) {
        if (view < 1) throw new IllegalArgumentException("augmented views are numbered from 1, got " + view);
        int[] transforms = transformsOf(input);
        int t = transforms[(view - 1) % transforms.length];
        return new GridSymmetry() {
            @Override
            public Grid apply(Grid grid) {
                return Dihedral.transform(grid, t);
            }

            @Override
            public Grid invert(Grid grid) {
                return Dihedral.transform(grid, Dihedral.inverse(t));
            }

            @Override
            public String toString() {
                return "dihedral transform " + t;
            }
        };
    }

    /** 7 for a square grid, 3 for an oblong one: the view after the last repeats the first. */
    @Override
    public int distinctViews(Grid input) {
        return transformsOf(input).length;
    }

    private static int[] transformsOf(Grid input) {
        return input.getRows() == input.getCols() ? SQUARE : SHAPE_KEEPING;
    }
}
