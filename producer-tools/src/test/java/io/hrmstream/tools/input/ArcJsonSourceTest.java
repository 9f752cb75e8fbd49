package io.hrmstream.tools.input;

import io.hrmstream.puzzles.data.ArcIdentifiers;
import io.hrmstream.schemas.RequestAttributeNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        List<Puzzle> puzzles = read(new ArcJsonSource(file, Optional.empty(), 7));
        assertEquals(2, puzzles.size());
        Puzzle first = puzzles.get(0);
        assertEquals("arc", first.task());
        assertEquals(2, first.question().rows());
        assertArrayEquals(new byte[] {2, 0, 0, 0}, first.question().cells());
        assertArrayEquals(new byte[] {0, 2, 0, 0}, first.answer().cells());
        assertEquals(7, first.puzzleId());
        assertEquals(file + "#abc123/test[0]", first.origin());
        assertEquals(Map.of(RequestAttributeNames.ARC_TASK, "abc123"), first.attributes(), "the task the worker votes by");
        assertNull(puzzles.get(1).answer(), "a hidden test output leaves the answer unknown");
    }

    @Test
    void theIdentifiersFileGivesEachTaskItsEmbeddingRow() throws IOException {
        Path file = dir.resolve("abc123.json");
        Files.writeString(file, TASK);
        Path ids = dir.resolve("identifiers.json");
        Files.writeString(ids, "[\"<blank>\", \"zzz\", \"abc123|||t1|||0123456789\", \"abc123\"]");
        List<Puzzle> puzzles = read(new ArcJsonSource(file, Optional.of(ArcIdentifiers.read(ids)), 0));
        assertEquals(3, puzzles.get(0).puzzleId(), "the row of the task as it is, not of a copy");
    }

    @Test
    void aTaskMissingFromTheIdentifiersIsAnError() throws IOException {
        Path file = dir.resolve("abc123.json");
        Files.writeString(file, TASK);
        PuzzleInputException e = assertThrows(PuzzleInputException.class,
                () -> read(new ArcJsonSource(file, Optional.of(ArcIdentifiers.of(List.of("<blank>", "other"))), 0)));
        assertTrue(e.getMessage().startsWith(file + "#abc123: task id not in the puzzle identifiers"),
                e.getMessage());
    }

    @Test
    void aBrokenGridNamesTheFileTaskAndGrid() throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"test\": [{\"input\": [[1, 12]]}]}");
        PuzzleInputException e = assertThrows(PuzzleInputException.class,
                () -> read(new ArcJsonSource(file, Optional.empty(), 0)));
        assertTrue(e.getMessage().startsWith(file + ": task bad, test[0].input"), e.getMessage());
    }
}
