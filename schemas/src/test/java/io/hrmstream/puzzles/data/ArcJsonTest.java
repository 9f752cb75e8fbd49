package io.hrmstream.puzzles.data;

import io.hrmstream.puzzles.Grids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ArcJsonTest {

    private static final String TASK = """
            {"train": [{"input": [[0, 1], [2, 3]], "output": [[3, 2], [1, 0]]},
                       {"input": [[5]], "output": [[5]]}],
             "test": [{"input": [[7, 8, 9]]}]}""";

    @TempDir
    Path dir;

    @Test
    void readsATaskFileWithItsTrainAndTestPairs() throws IOException {
        Path file = Files.writeString(dir.resolve("007bbfb7.json"), TASK);

        ArcPuzzle puzzle = ArcJson.read(file).get(0);

        assertEquals("007bbfb7", puzzle.id());
        assertEquals(2, puzzle.train().size());
        assertEquals(Grids.of(2, 2, new byte[] {0, 1, 2, 3}), puzzle.train().get(0).input());
        assertEquals(Grids.of(2, 2, new byte[] {3, 2, 1, 0}), puzzle.train().get(0).output());
        assertEquals(Grids.of(1, 3, new byte[] {7, 8, 9}), puzzle.test().get(0).input());
        assertNull(puzzle.test().get(0).output(), "hidden test output");
    }

    @Test
    void readsADirectoryOfTasksSortedByNameAndACombinedFile() throws IOException {
        Files.writeString(dir.resolve("b.json"), TASK);
        Files.writeString(dir.resolve("a.json"), TASK);
        Files.writeString(dir.resolve("notes.txt"), "not a task");
        assertEquals(List.of("a", "b"), ArcJson.read(dir).stream().map(ArcPuzzle::id).toList());

        Path combined = Files.writeString(dir.resolve("challenges.json.all"), "{\"t1\": " + TASK + ", \"t2\": " + TASK + "}");
        assertEquals(List.of("t1", "t2"), ArcJson.read(combined).stream().map(ArcPuzzle::id).toList());
    }

    @Test
    void rejectsGridsTheOfficialBuilderRejects() throws IOException {
        assertEquals("task ragged, train[0].input: row 1 has 1 cells, row 0 has 2", reason("ragged",
                "{\"train\": [{\"input\": [[0, 1], [2]], \"output\": [[0]]}]}"));
        assertEquals("task colour, train[0].output: cell [0][1] is 10, not a colour 0..9", reason("colour",
                "{\"train\": [{\"input\": [[0]], \"output\": [[0, 10]]}]}"));
        assertEquals("task wide, test[0].input: grid is 1x31, ARC allows 1..30 each way", reason("wide",
                "{\"test\": [{\"input\": [[" + "0,".repeat(30) + "0]]}]}"));
        assertEquals("task flat, train[0].input: not a non-empty 2D list", reason("flat",
                "{\"train\": [{\"input\": [1, 2], \"output\": [[0]]}]}"));
    }

    private String reason(String id, String json) throws IOException {
        Path file = Files.writeString(dir.resolve(id + ".json"), json);
        return assertThrows(IllegalArgumentException.class, () -> ArcJson.read(file)).getMessage();
    }
}
