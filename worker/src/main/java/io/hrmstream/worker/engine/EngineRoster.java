package io.hrmstream.worker.engine;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The engines one worker serves, at most one per task: a request goes to the engine whose model solves its task.
 * Each engine has its own model, slot batch and inference thread, so a slow task never holds another's slots. Empty
 * when the worker runs without a model (every request is then rejected). Immutable; the engines belong to whoever
 * started them.
 */
public final class EngineRoster {

    private static final EngineRoster NONE = new EngineRoster(Map.of());

    private final Map<String, SolverEngine> byTask;

    private EngineRoster(final Map<String, SolverEngine> byTask) {
        this.byTask = byTask;
    }

    /** No engines: the worker rejects every request with "no model configured". */
    public static EngineRoster none() {
        return NONE;
    }

    /** One engine per task, in the given order; two engines for one task are an error. */
    public static EngineRoster of(final List<? extends SolverEngine> engines) {
        final Map<String, SolverEngine> byTask = new LinkedHashMap<>();
        for (final SolverEngine engine : engines) {
            final SolverEngine before = byTask.putIfAbsent(engine.model().task(), engine);
            if (before != null) {
                throw new IllegalArgumentException("models " + before.model().name() + " and "
                        + engine.model().name() + " both solve " + engine.model().task()
                        + " puzzles; serve one model per task");
            }
        }
        return new EngineRoster(Collections.unmodifiableMap(byTask));
    }

    public static EngineRoster of(final SolverEngine... engines) {
        return of(List.of(engines));
    }

    /** The engine whose model solves {@code task}. */
    public Optional<SolverEngine> forTask(final String task) {
        return Optional.ofNullable(byTask.get(task));
    }

    /** The served models by task, in serving order. */
    public Map<String, ModelDescriptor> models() {
        return byTask.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().model(),
                (a, b) -> a, LinkedHashMap::new));
    }

    public Collection<SolverEngine> engines() {
        return byTask.values();
    }

    public boolean isEmpty() {
        return byTask.isEmpty();
    }

    /** e.g. {@code hrm-sudoku@3f2a91c0, hrm-maze@77d01b2e}, or {@code none}. */
    public String modelNames() {
        return isEmpty() ? "none" : byTask.values().stream().map(e -> e.model().name()).collect(Collectors.joining(", "));
    }

    /** e.g. {@code sudoku, maze}. */
    public String tasks() {
        return String.join(", ", byTask.keySet());
    }
}
