package io.hrmstream.puzzles.data;

import io.hrmstream.puzzles.Grids;
import io.hrmstream.schemas.Grid;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The official builder's ARC augmentations: named as it names them, and undone exactly by their inverse. */
class ArcAugmentationTest {

    @Test
    void everyAugmentationIsUndoneExactlyByItsInverseOnRandomGrids() {
        Random rng = new Random(13);
        for (int trial = 0; trial < 2000; trial++) {
            int rows = 1 + rng.nextInt(30), cols = 1 + rng.nextInt(30);
            byte[] cells = new byte[rows * cols];
            for (int i = 0; i < cells.length; i++) cells[i] = (byte) rng.nextInt(10);
            Grid grid = Grids.of(rows, cols, cells);
            ArcAugmentation augmentation = new ArcAugmentation(trial % 8, randomPermutation(rng, trial % 2 == 0));

            Grid there = augmentation.apply(grid);
            Grid back = augmentation.invert(there);

            assertEquals(rows, back.getRows(), augmentation.toString());
            assertEquals(cols, back.getCols(), augmentation.toString());
            assertArrayEquals(cells, Grids.cells(back), augmentation.toString());
            assertArrayEquals(cells, Grids.cells(augmentation.apply(augmentation.invert(grid))), augmentation.toString());
        }
    }

    @Test
    void coloursAreMappedThenTheGridIsTransformedAsTheBuilderDoes() {
        // [[1,2],[3,4]] with 1 <-> 2 is [[2,1],[3,4]]; numpy's rot90 (transform 1) of that is [[1,4],[2,3]]
        ArcAugmentation swapOneTwoThenRot90 = new ArcAugmentation(1, new int[]{0, 2, 1, 3, 4, 5, 6, 7, 8, 9});
        Grid grid = Grids.of(2, 2, new byte[]{1, 2, 3, 4});

        assertArrayEquals(new byte[]{1, 4, 2, 3}, Grids.cells(swapOneTwoThenRot90.apply(grid)));
    }

    @Test
    void aTransformThatSwapsRowsAndColumnsMapsBackToTheOriginalShape() {
        ArcAugmentation transpose = new ArcAugmentation(6, ArcAugmentation.IDENTITY.colourMap());
        Grid wide = Grids.of(2, 3, new byte[]{1, 2, 3, 4, 5, 6});

        Grid tall = transpose.apply(wide);

        assertEquals(3, tall.getRows());
        assertArrayEquals(new byte[]{1, 4, 2, 5, 3, 6}, Grids.cells(tall));
        assertArrayEquals(Grids.cells(wide), Grids.cells(transpose.invert(tall)));
    }

    @Test
    void namesAreReadInTheCurrentAndTheOlderSpelling() {
        ArcAugmentation.Named current = ArcAugmentation.parse("00576224|||t3|||0419628753");
        ArcAugmentation.Named legacy = ArcAugmentation.parse("00576224_t3_0419628753");

        assertEquals("00576224", current.task());
        assertEquals(3, current.augmentation().dihedral());
        assertArrayEquals(new int[]{0, 4, 1, 9, 6, 2, 8, 7, 5, 3}, current.augmentation().colourMap());
        assertEquals(current, legacy);
        assertEquals("t3|||0419628753", current.augmentation().repr());
        assertEquals("00576224|||t3|||0419628753", current.augmentation().nameFor("00576224"));
    }

    @Test
    void aNameWithoutAnAugmentationIsTheTaskItself() {
        for (String name : List.of("00576224", "AboveBelow1", "task|||t9|||0123456789", "task|||t1|||0123456788")) {
            ArcAugmentation.Named named = ArcAugmentation.parse(name);
            assertEquals(name, named.task());
            assertTrue(named.augmentation().isIdentity());
            assertEquals(name, named.augmentation().nameFor(name));
        }
    }

    @Test
    void aColourMapMustBeAPermutationOfTheTenColours() {
        assertThrows(IllegalArgumentException.class, () -> new ArcAugmentation(0, new int[]{0, 1, 1, 3, 4, 5, 6, 7, 8, 9}));
        assertThrows(IllegalArgumentException.class, () -> new ArcAugmentation(0, new int[]{0, 1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new ArcAugmentation(8, ArcAugmentation.IDENTITY.colourMap()));
    }

    private static int[] randomPermutation(Random rng, boolean blackFixed) {
        List<Integer> colours = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        if (blackFixed) {
            List<Integer> rest = colours.subList(1, 10);
            Collections.shuffle(rest, rng);
        } else {
            Collections.shuffle(colours, rng);
        }
        return colours.stream().mapToInt(Integer::intValue).toArray();
    }
}
