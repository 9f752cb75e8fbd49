package io.hrmstream.tools.input;

import io.hrmstream.puzzles.data.ArcExample;
import io.hrmstream.puzzles.data.ArcIdentifiers;
import io.hrmstream.puzzles.data.ArcJson;
import io.hrmstream.puzzles.data.ArcPuzzle;
import io.hrmstream.schemas.RequestAttributeNames;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * ARC tasks in the ARC-AGI JSON layout (one task a file, a directory of them, or one file mapping ids to tasks), read
 * by {@link ArcJson}. Each test pair becomes one puzzle; its output, where the file has it, is the known answer. The
 * demonstration pairs are not sent: the model knows a task by its puzzle-embedding row, which is the row of the task
 * id in the dataset's {@code identifiers.json} when one is given, else {@code defaultPuzzleId}. Every request names
 * its task in the attribute {@link RequestAttributeNames#ARC_TASK}, by which a worker with the identifiers runs the
 * task's augmented copies and votes.
 */
public final class ArcJsonSource implements PuzzleSource {

    public static final String TASK = "arc";

    private final Path path;
    private final Optional<ArcIdentifiers> puzzleIds;
    private final int defaultPuzzleId;

    /** @param puzzleIds the dataset's identifiers, or empty to give every request {@code defaultPuzzleId} */
    public ArcJsonSource(Path path, Optional<ArcIdentifiers> puzzleIds, int defaultPuzzleId) {
        this.path = path;
        this.puzzleIds = puzzleIds;
        this.defaultPuzzleId = defaultPuzzleId;
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
            OptionalInt row = puzzleIds.isEmpty() ? OptionalInt.of(defaultPuzzleId) : puzzleIds.get().rowOf(task.id());
            if (row.isEmpty()) {
                throw new PuzzleInputException(path + "#" + task.id(),
                        "task id not in the puzzle identifiers, so the model has no embedding row for it");
            }
            int puzzleId = row.getAsInt();
            for (int i = 0; i < task.test().size(); i++) {
                ArcExample pair = task.test().get(i);
                puzzles.add(new Puzzle(TASK, CellGrid.of(pair.input()),
                        pair.output() == null ? null : CellGrid.of(pair.output()), puzzleId,
                        path + "#" + task.id() + "/test[" + i + "]",
                        Map.of(RequestAttributeNames.ARC_TASK, task.id())));
            }
        }
        return PuzzleStream.of(puzzles.iterator(), () -> { });
    }
}
