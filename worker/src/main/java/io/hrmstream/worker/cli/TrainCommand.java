package io.hrmstream.worker.cli;

import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.train.TrainConfig;
import io.hrmstream.worker.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code train}: trains an HRM or TRM model with the official ACT objective from a recipe file (YAML or JSON);
 * flags override the recipe's fields.
 */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = {
                "Trains an HRM/TRM model (official ACT objective, one-step gradient, AdamW with warm-up) on generated "
                        + "or CSV puzzles; writes resumable checkpoints (last/), the best held-out model (best/) "
                        + "and metrics.jsonl under the output folder.",
                "Start the JVM with OMP_WAIT_POLICY=PASSIVE on a shared machine."})
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "training recipe (YAML or JSON)")
    private Path configFile;

    @Option(names = "--resume", description = "continue from the output folder's last checkpoint")
    private boolean resume;

    @Option(names = "--output", paramLabel = "DIR", description = "run folder (overrides output)")
    private String output;

    @Option(names = "--steps", paramLabel = "N", description = "total optimizer steps (overrides steps)")
    private Integer steps;

    @Option(names = "--seed", paramLabel = "N", description = "overrides seed")
    private Long seed;

    /**
     * --model starts the run from a model folder's weights (overrides load_checkpoint), --batch overrides
     * batch_size, --threads overrides threads; --task must be the recipe's, --device cpu (training runs on the CPU).
     */
    @Mixin
    private ModelOptions modelOptions;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrainConfig recipe = TrainConfig.read(configFile);
        CommandLine commandLine = spec.commandLine();
        if (!modelOptions.device(commandLine).equals(ComputeDevice.cpu())) {
            throw new ParameterException(commandLine, "--device: training runs on the CPU in float32 (cpu)");
        }
        modelOptions.taskOverride(commandLine).filter(t -> !t.name().equals(recipe.data().task())).ifPresent(t -> {
            throw new ParameterException(commandLine, "--task " + t.name() + ": the recipe trains "
                    + recipe.data().task());
        });
        Optional<Path> startFrom = modelOptions.singleModelDir(commandLine, false);
        TrainConfig config = new TrainConfig(recipe.arch(), recipe.data(),
                modelOptions.batch(recipe.batchSize(), commandLine),
                steps != null ? steps : recipe.steps(),
                seed != null ? seed : recipe.seed(),
                recipe.optimizer(), recipe.eval(), recipe.checkpointEvery(),
                modelOptions.threads != null ? modelOptions.threads : recipe.threads(),
                output != null ? output : recipe.output(),
                startFrom.map(Path::toString).orElse(recipe.loadCheckpoint()));
        ComputeDevice.setIntraOpThreads(config.threads());
        TrainingRun.Outcome outcome = new TrainingRun(config, System.out).run(resume);
        System.out.printf("done: %d steps; last lm loss %.4f; best held-out %s%n", outcome.steps(),
                outcome.last() == null ? Double.NaN : outcome.last().lmLoss(), outcome.best());
        return 0;
    }
}
