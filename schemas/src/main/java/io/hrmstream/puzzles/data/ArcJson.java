package io.hrmstream.puzzles.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hrmstream.puzzles.ArcTask;
import io.hrmstream.puzzles.Grids;
import io.hrmstream.schemas.Grid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads ARC tasks in the ARC-AGI JSON layout the official builder reads
 * ({@code {"train": [{"input": [[..]], "output": [[..]]}, ...], "test": [...]}}): one task per file, a
 * directory of such files, or one combined file mapping task ids to tasks. Grids are checked as the
 * official {@code _parse_raw_grid} does: rectangular, at most 30x30, colours 0..9.
 */
public final class ArcJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ArcJson() {
    }

    /**
     * Every task under the path: a directory's {@code *.json} files (sorted by name), or one file holding
     * either a single task (id = file name) or a map from task id to task.
     *
     * @throws IllegalArgumentException naming the task and grid that break the layout
     */
    public static List<ArcPuzzle> read(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            List<ArcPuzzle> puzzles = new ArrayList<>();
            try (Stream<Path> files = Files.list(path)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                    puzzles.addAll(read(file));
                }
            }
            return puzzles;
        }
        JsonNode root = JSON.readTree(path.toFile());
        if (root == null || !root.isObject()) throw new IllegalArgumentException(path + ": not a JSON object");
        if (root.has("train") || root.has("test")) {
            String name = path.getFileName().toString();
            return List.of(parse(name.endsWith(".json") ? name.substring(0, name.length() - 5) : name, root));
        }
        List<ArcPuzzle> puzzles = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> task = it.next();
            puzzles.add(parse(task.getKey(), task.getValue()));
        }
        return puzzles;
    }

    /** One task from its JSON object. */
    public static ArcPuzzle parse(String id, JsonNode task) {
        if (!task.isObject()) throw new IllegalArgumentException("task " + id + ": not a JSON object");
        return new ArcPuzzle(id, examples(id, task, "train"), examples(id, task, "test"));
    }

    private static List<ArcExample> examples(String id, JsonNode task, String split) {
        JsonNode list = task.get(split);
        if (list == null) return List.of();
        if (!list.isArray()) throw new IllegalArgumentException("task " + id + ": '" + split + "' is not a list");
        List<ArcExample> examples = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "task " + id + ", " + split + "[" + i + "]";
            JsonNode example = list.get(i);
            Grid input = grid(example.get("input"), where + ".input");
            JsonNode output = example.get("output");
            examples.add(new ArcExample(input, output == null || output.isNull() ? null : grid(output, where + ".output")));
        }
        return List.copyOf(examples);
    }

    private static Grid grid(JsonNode rows, String where) {
        if (rows == null || !rows.isArray() || rows.isEmpty() || !rows.get(0).isArray()) {
            throw new IllegalArgumentException(where + ": not a non-empty 2D list");
        }
        int height = rows.size(), width = rows.get(0).size();
        if (height > ArcTask.MAX_SIZE || width > ArcTask.MAX_SIZE || width == 0) {
            throw new IllegalArgumentException(where + ": grid is " + height + "x" + width + ", ARC allows 1..30 each way");
        }
        byte[] cells = new byte[height * width];
        for (int r = 0; r < height; r++) {
            JsonNode row = rows.get(r);
            if (!row.isArray() || row.size() != width) {
                throw new IllegalArgumentException(where + ": row " + r + " has " + row.size() + " cells, row 0 has " + width);
            }
            for (int c = 0; c < width; c++) {
                JsonNode cell = row.get(c);
                if (!cell.isInt() || cell.intValue() < 0 || cell.intValue() > ArcTask.MAX_COLOR) {
                    throw new IllegalArgumentException(where + ": cell [" + r + "][" + c + "] is " + cell + ", not a colour 0..9");
                }
                cells[r * width + c] = (byte) cell.intValue();
            }
        }
        return Grids.of(height, width, cells);
    }
}
