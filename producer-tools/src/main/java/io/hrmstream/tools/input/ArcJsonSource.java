package io.hrmstream.tools.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.puzzles.data.ArcExample;
import io.hrmstream.puzzles.data.ArcJson;
import io.hrmstream.puzzles.data.ArcPuzzle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ARC tasks in the ARC-AGI JSON layout (one task a file, a directory of them, or one file mapping ids to tasks), read
 * by {@link ArcJson}. Each test pair becomes one puzzle; its output, where the file has it, is the known answer. The
 * demonstration pairs are not sent: the model knows a task by its puzzle-embedding row, which is {@code puzzleIds}'
 * entry for the task id, else {@code defaultPuzzleId}.
 */
public final class ArcJsonSource implements PuzzleSource {

    public static final String TASK = "arc";

    private final Path path;
    private final Map<String, Integer> puzzleIds;
    private final int defaultPuzzleId;

    public ArcJsonSource(Path path, Map<String, Integer> puzzleIds, int defaultPuzzleId) {
        this.path = path;
        this.puzzleIds = Map.copyOf(puzzleIds);
        this.defaultPuzzleId = defaultPuzzleId;
    }

    /**
     * The official builder's {@code identifiers.json}: a JSON array of names whose index is the puzzle identifier
     * (the embedding row). Returns name -> row.
     */
    public static Map<String, Integer> readPuzzleIds(Path file) throws IOException {
        JsonNode names = new ObjectMapper().readTree(file.toFile());
        if (names == null || !names.isArray()) {
            throw new IOException(file + ": puzzle identifiers must be a JSON array of names (index = puzzleId)");
        }
        Map<String, Integer> rows = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).isTextual()) {
                throw new IOException(file + ": entry " + i + " is " + names.get(i) + ", not a name");
            }
            rows.putIfAbsent(names.get(i).asText(), i);
        }
        return rows;
    }

    @Override
    public String describe() {
        return path + " (ARC JSON)";
    }

    @Override
    public PuzzleStream open() throws IOException {
        List<ArcPuzzle> tasks;
        try {
            tasks = ArcJson.read(path);
        } catch (IllegalArgumentException e) {
            throw new PuzzleInputException(path.toString(), e.getMessage());
        }
        List<Puzzle> puzzles = new ArrayList<>();
        for (ArcPuzzle task : tasks) {
            Integer puzzleId = puzzleIds.isEmpty() ? Integer.valueOf(defaultPuzzleId) : puzzleIds.get(task.id());
            if (puzzleId == null) {
                throw new PuzzleInputException(path + "#" + task.id(),
                        "task id not in the puzzle identifiers, so the model has no embedding row for it");
            }
            for (int i = 0; i < task.test().size(); i++) {
                ArcExample pair = task.test().get(i);
                puzzles.add(new Puzzle(TASK, CellGrid.of(pair.input()),
                        pair.output() == null ? null : CellGrid.of(pair.output()), puzzleId,
                        path + "#" + task.id() + "/test[" + i + "]"));
            }
        }
        return PuzzleStream.of(puzzles.iterator(), () -> { });
    }
}
