package io.hrmstream.tools.answers;

import io.hrmstream.tools.input.CellGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnswersFileTest {

    @TempDir
    Path dir;

    @Test
    void entriesWrittenAreReadBackByIdInOrderWithTheirAnswers() throws IOException {
        Path file = dir.resolve("answers.jsonl");
        CellGrid answer = new CellGrid(2, 3, new byte[] {'#', ' ', 'o', 'S', 'o', 'G'});
        try (AnswersFile.Writer writer = AnswersFile.create(file)) {
            writer.write(new PublishedRequest("m-0", "maze", answer));
            writer.write(new PublishedRequest("s-1", "sudoku", null));
        }
        Map<String, PublishedRequest> read = AnswersFile.read(file);
        assertEquals(List.of("m-0", "s-1"), List.copyOf(read.keySet()));
        assertEquals(answer, read.get("m-0").answer());
        assertEquals("maze", read.get("m-0").task());
        assertNull(read.get("s-1").answer());
        assertTrue(Files.readAllLines(file).get(1).equals("{\"id\":\"s-1\",\"task\":\"sudoku\"}"),
                "an entry without an answer has no answer field");
    }

    @Test
    void aBrokenLineIsReportedWithItsLineNumber() throws IOException {
        Path file = dir.resolve("answers.jsonl");
        Files.writeString(file, "{\"id\":\"a\",\"task\":\"sudoku\"}\n{\"id\":\"b\",\n");
        IOException e = assertThrows(IOException.class, () -> AnswersFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ":2: not an answers-file entry"), e.getMessage());
    }

    @Test
    void anAnswerOfTheWrongSizeIsReportedWithItsLineNumber() throws IOException {
        Path file = dir.resolve("answers.jsonl");
        Files.writeString(file, "{\"id\":\"a\",\"task\":\"sudoku\",\"answer\":{\"rows\":9,\"cols\":9,\"cells\":\"AQI=\"}}\n");
        IOException e = assertThrows(IOException.class, () -> AnswersFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ":1:"), e.getMessage());
        assertTrue(e.getMessage().contains("rows*cols"), e.getMessage());
    }

    @Test
    void aRepeatedIdIsAnError() throws IOException {
        Path file = dir.resolve("answers.jsonl");
        Files.writeString(file, "{\"id\":\"a\",\"task\":\"sudoku\"}\n{\"id\":\"a\",\"task\":\"sudoku\"}\n");
        IOException e = assertThrows(IOException.class, () -> AnswersFile.read(file));
        assertTrue(e.getMessage().contains(":2: request id 'a' appears twice"), e.getMessage());
    }
}
