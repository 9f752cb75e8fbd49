package io.hrmstream.puzzles.data;

import io.hrmstream.puzzles.ArcTask;
import io.hrmstream.puzzles.GridSymmetry;
import io.hrmstream.puzzles.Grids;
import io.hrmstream.schemas.Grid;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One augmented copy of an ARC task as the official builder makes it ({@code dataset/build_arc_dataset.py},
 * {@code aug}): every colour {@code c} becomes {@code colourMap[c]}, then the grid takes dihedral transform
 * {@code t} ({@link Dihedral}, numbered as {@code dihedral_transform}). The builder names the copy after the
 * augmentation, {@code <task>|||t<t>|||<colourMap as 10 digits>} (black, 0, is never permuted there, but any
 * permutation of 0..9 is undone here), which is how the official evaluator ({@code evaluators/arc.py},
 * {@code inverse_aug}) knows how to map an answer back: the inverse dihedral transform, then the inverse colour
 * permutation. Older HRM builds named copies {@code <task>_t<t>_<digits>}; both spellings are read.
 *
 * <p>Written by hand: the augmentation is defined by those Python scripts, not by any Java library.
 *
 * @param dihedral  the dihedral transform, 0..7 (0: none)
 * @param colourMap {@code colourMap[c]}: the colour that colour {@code c} becomes; a permutation of 0..9
 */
public record ArcAugmentation(int dihedral, int[] colourMap) implements GridSymmetry {

    /** What the official builder puts between a task's name and the parts of its augmentation. */
    public static final String SEPARATOR = "|||";

    private static final Pattern CURRENT = Pattern.compile("(.+)\\|\\|\\|t([0-7])\\|\\|\\|([0-9]{10})");
    private static final Pattern LEGACY = Pattern.compile("(.+)_t([0-7])_([0-9]{10})");
    private static final int COLOURS = ArcTask.MAX_COLOR + 1;

    /** The task as it is: no transform, every colour itself. */
    public static final ArcAugmentation IDENTITY = new ArcAugmentation(0, new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});

    public ArcAugmentation {
        if (dihedral < 0 || dihedral >= Dihedral.COUNT) {
            throw new IllegalArgumentException("dihedral transform " + dihedral + " is not in 0..7");
        }
        colourMap = colourMap.clone();
        boolean[] seen = new boolean[COLOURS];
        if (colourMap.length != COLOURS) {
            throw new IllegalArgumentException("a colour map has 10 entries, got " + colourMap.length);
        }
        for (int colour : colourMap) {
            if (colour < 0 || colour >= COLOURS || seen[colour]) {
                throw new IllegalArgumentException("colour map " + Arrays.toString(colourMap)
                        + " is not a permutation of 0..9");
            }
            seen[colour] = true;
        }
    }

    /**
     * A name from {@code identifiers.json} split into its task and augmentation: a name without an augmentation
     * part is the task itself ({@link #IDENTITY}).
     */
    public static Named parse(final String name) {
        for (Pattern pattern : new Pattern[]{CURRENT, LEGACY}) {
            Matcher m = pattern.matcher(name);
            if (m.matches()) {
                int[] map = new int[COLOURS];
                for (int c = 0; c < COLOURS; c++) map[c] = m.group(3).charAt(c) - '0';
                Optional<ArcAugmentation> augmentation = permutation(Integer.parseInt(m.group(2)), map);
                if (augmentation.isPresent()) return new Named(m.group(1), augmentation.get());
            }
        }
        return new Named(name, IDENTITY);
    }

    private static Optional<ArcAugmentation> permutation(final int dihedral, final int[] map) {
        try {
            return Optional.of(new ArcAugmentation(dihedral, map));
        } catch (IllegalArgumentException notAPermutation) {
            return Optional.empty();   // digits that are no permutation: part of a task's own name
        }
    }

    /** The augmentation part of a name as the official builder writes it: {@code t<t>|||<digits>}. */
    public String repr() {
        StringBuilder digits = new StringBuilder(COLOURS);
        for (int colour : colourMap) digits.append(colour);
        return "t" + dihedral + SEPARATOR + digits;
    }

    /** The builder's name for this copy of {@code task}: the task's own name for the identity. */
    public String nameFor(final String task) {
        return isIdentity() ? task : task + SEPARATOR + repr();
    }

    public boolean isIdentity() {
        return equals(IDENTITY);
    }

    /** The grid as this copy shows it: colours mapped, then the dihedral transform. */
    @Override
    public Grid apply(final Grid grid) {
        return Dihedral.transform(recolour(grid, colourMap), dihedral);
    }

    /** Undoes {@link #apply}: the inverse dihedral transform, then the inverse colour map. */
    @Override
    public Grid invert(final Grid grid) {
        int[] inverse = new int[COLOURS];
        for (int c = 0; c < COLOURS; c++) inverse[colourMap[c]] = c;
        return recolour(Dihedral.transform(grid, Dihedral.inverse(dihedral)), inverse);
    }

    /** A copy of the colour map. */
    @Override
    public int[] colourMap() {
        return colourMap.clone();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof ArcAugmentation other && dihedral == other.dihedral
                && Arrays.equals(colourMap, other.colourMap);
    }

    @Override
    public int hashCode() {
        return 31 * dihedral + Arrays.hashCode(colourMap);
    }

    @Override
    public String toString() {
        return repr();
    }

    /** Cells outside 0..9 (an answer the crop cut short cannot have them) are left as they are. */
    private static Grid recolour(final Grid grid, final int[] map) {
        byte[] cells = Grids.cells(grid);
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] >= 0 && cells[i] < COLOURS) cells[i] = (byte) map[cells[i]];
        }
        return Grids.of(grid.getRows(), grid.getCols(), cells);
    }

    /**
     * A name of {@code identifiers.json} read: the task it is a copy of, and the augmentation.
     *
     * @param task         the task's name (the ARC task id, e.g. {@code 00576224})
     * @param augmentation how this copy was made from the task
     */
    public record Named(String task, ArcAugmentation augmentation) {
    }
}
