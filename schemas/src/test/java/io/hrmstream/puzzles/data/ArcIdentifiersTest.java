package io.hrmstream.puzzles.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** identifiers.json: rows by name, and each task's copies with the augmentation that made them. */
class ArcIdentifiersTest {

    @TempDir
    Path dir;

    @Test
    void eachTaskListsItselfFirstThenItsCopiesInRowOrder() throws IOException {
        Path file = dir.resolve("identifiers.json");
        Files.writeString(file, """
                ["<blank>", "b|||t1|||0213456789", "a|||t2|||0123456798", "a", "a|||t5|||0987654321", "b"]""");

        ArcIdentifiers ids = ArcIdentifiers.read(file);

        assertEquals(Set.of("a", "b"), ids.tasks());
        List<ArcIdentifiers.View> a = ids.views("a");
        assertEquals(List.of(3, 2, 4), a.stream().map(ArcIdentifiers.View::puzzleId).toList());
        assertTrue(a.get(0).augmentation().isIdentity());
        assertEquals("t2|||0123456798", a.get(1).augmentation().repr());
        assertEquals(List.of(5, 1), ids.views("b").stream().map(ArcIdentifiers.View::puzzleId).toList());
        assertEquals(List.of(), ids.views("c"));
    }

    @Test
    void aNameIsLookedUpByItsRow() {
        ArcIdentifiers ids = ArcIdentifiers.of(List.of("<blank>", "a", "a|||t1|||0123456789", "a"));

        assertEquals(OptionalInt.of(1), ids.rowOf("a"));
        assertEquals(OptionalInt.of(2), ids.rowOf("a|||t1|||0123456789"));
        assertEquals(OptionalInt.empty(), ids.rowOf("<blank>"));
        assertEquals(OptionalInt.empty(), ids.rowOf("z"));
    }

    @Test
    void aFileThatIsNotAnArrayOfNamesIsRefusedWithItsPlace() throws IOException {
        Path object = dir.resolve("object.json");
        Files.writeString(object, "{\"a\": 1}");
        Path number = dir.resolve("number.json");
        Files.writeString(number, "[\"<blank>\", 7]");

        assertThrows(IOException.class, () -> ArcIdentifiers.read(object));
        IOException e = assertThrows(IOException.class, () -> ArcIdentifiers.read(number));
        assertTrue(e.getMessage().contains("entry 1"), e.getMessage());
    }
}
