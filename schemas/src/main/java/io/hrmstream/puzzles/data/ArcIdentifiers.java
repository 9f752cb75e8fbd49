package io.hrmstream.puzzles.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The official ARC builder's {@code identifiers.json}: a JSON array of names whose index is the puzzle identifier
 * (the model's puzzle-embedding row); entry 0 is {@code "<blank>"}. A name is a task ({@code 00576224}) or one of
 * its augmented copies ({@code 00576224|||t3|||0419628753}, see {@link ArcAugmentation}). Read once, here, by both
 * the worker (which runs a task's copies and votes) and {@code hrm-tools publish} (which looks up a task's row).
 */
public final class ArcIdentifiers {

    /** The name the builder gives row 0, which no puzzle has. */
    public static final String BLANK = "<blank>";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> rows;
    private final Map<String, List<View>> viewsByTask;

    /**
     * One copy of a task the model was trained on.
     *
     * @param puzzleId     its row in the puzzle-embedding table
     * @param augmentation how the copy was made from the task
     */
    public record View(int puzzleId, ArcAugmentation augmentation) {
    }

    private ArcIdentifiers(final List<String> names) {
        Map<String, Integer> byName = new HashMap<>();
        Map<String, List<View>> byTask = new HashMap<>();
        for (int row = 0; row < names.size(); row++) {
            String name = names.get(row);
            if (name.equals(BLANK) || byName.putIfAbsent(name, row) != null) continue;
            ArcAugmentation.Named named = ArcAugmentation.parse(name);
            byTask.computeIfAbsent(named.task(), t -> new ArrayList<>()).add(new View(row, named.augmentation()));
        }
        // the task as it is first, then its copies in row order (the builder's order, which is random per task)
        Comparator<View> order = Comparator.comparing((View v) -> !v.augmentation().isIdentity())
                .thenComparingInt(View::puzzleId);
        byTask.replaceAll((task, views) -> views.stream().sorted(order).toList());
        this.rows = Map.copyOf(byName);
        this.viewsByTask = Map.copyOf(byTask);
    }

    /** A table from names in row order (row = index). */
    public static ArcIdentifiers of(final List<String> names) {
        return new ArcIdentifiers(List.copyOf(names));
    }

    /** Reads {@code identifiers.json}: a JSON array of strings. */
    public static ArcIdentifiers read(final Path file) throws IOException {
        JsonNode names = JSON.readTree(file.toFile());
        if (names == null || !names.isArray()) {
            throw new IOException(file + ": puzzle identifiers must be a JSON array of names (index = puzzleId)");
        }
        List<String> list = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).isTextual()) {
                throw new IOException(file + ": entry " + i + " is " + names.get(i) + ", not a name");
            }
            list.add(names.get(i).asText());
        }
        return new ArcIdentifiers(list);
    }

    /** The row of a name (the first, should the table repeat it). */
    public OptionalInt rowOf(final String name) {
        Integer row = rows.get(name);
        return row == null ? OptionalInt.empty() : OptionalInt.of(row);
    }

    /**
     * Every copy of a task in the table: the task as it is first (when the table has it), then its augmented
     * copies in row order; empty for a task the table does not name.
     */
    public List<View> views(final String task) {
        return viewsByTask.getOrDefault(task, List.of());
    }

    /** The tasks named, each once. */
    public Set<String> tasks() {
        return viewsByTask.keySet();
    }
}
