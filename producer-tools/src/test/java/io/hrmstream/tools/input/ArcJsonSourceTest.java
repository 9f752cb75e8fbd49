package io.hrmstream.tools.input;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArcJsonSourceTest {

    private static final String TASK = """
            {"train": [{"input": [[1, 0]], "output": [[0, 1]]}],
             "test": [{"input": [[2, 0], [0, 0]], "output": [[0, 2], [0, 0]]},
                      {"input": [[3]]}]}
            """;

    @TempDir
    Path dir;

    private static List<Puzzle> read(ArcJsonSource source) throws IOException {
        List<Puzzle> puzzles = new ArrayList<>();
        try (PuzzleStream stream = source.open()) {
            stream.forEachRemaining(puzzles::add);
        }
        return puzzles;
    }

    @Test
    void eachTestPairIsOnePuzzleWithItsOutputAsTheAnswerWhenGiven() throws IOException {
        Path file = dir.resolve("abc123.json");
        Files.writeString(file, TASK);
        List<Puzzle> puzzles = read(new ArcJsonSource(file, Map.of(), 7));
        assertEquals(2, puzzles.size());
        Puzzle first = puzzles.get(0);
        assertEquals("arc", first.task());
        assertEquals(2, first.question().rows());
        assertArrayEquals(new byte[] {2, 0, 0, 0}, first.question().cells());
        assertArrayEquals(new byte[] {0, 2, 0, 0}, first.answer().cells());
        assertEquals(7, first.puzzleId());
        assertEquals(file + "#abc123/test[0]", first.origin());
        assertNull(puzzles.get(1).answer(), "a hidden test output leaves the answer unknown");
    }

    @Test
    void theIdentifiersFileGivesEachTaskItsEmbeddingRow() throws IOException {
        Path file = dir.resolve("abc123.json");
        Files.writeString(file, TASK);
        Path ids = dir.resolve("identifiers.json");
        Files.writeString(ids, "[\"<blank>\", \"zzz\", \"abc123\"]");
        List<Puzzle> puzzles = read(new ArcJsonSource(file, ArcJsonSource.readPuzzleIds(ids), 0));
        assertEquals(2, puzzles.get(0).puzzleId());
    }

    @Test
    void aTaskMissingFromTheIdentifiersIsAnError() throws IOException {
        Path file = dir.resolve("abc123.json");
        Files.writeString(file, TASK);
        PuzzleInputException e = assertThrows(PuzzleInputException.class,
                () -> read(new ArcJsonSource(file, Map.of("other", 1), 0)));
        assertTrue(e.getMessage().startsWith(file + "#abc123: task id not in the puzzle identifiers"),
                e.getMessage());
    }

    @Test
    void aBrokenGridNamesTheFileTaskAndGrid() throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"test\": [{\"input\": [[1, 12]]}]}");
        PuzzleInputException e = assertThrows(PuzzleInputException.class,
                () -> read(new ArcJsonSource(file, Map.of(), 0)));
        assertTrue(e.getMessage().startsWith(file + ": task bad, test[0].input"), e.getMessage());
    }
}
