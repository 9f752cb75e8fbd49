package io.hrmstream.worker.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.hrmstream.worker.checkpoint.HostTensor;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.checkpoint.Safetensors;
import io.hrmstream.worker.model.ActCarry;
import io.hrmstream.worker.model.ActModel;
import io.hrmstream.worker.model.ActStep;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.ReasoningModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/**
 * {@code forward}: replays a model's ACT steps the way the official evaluation runs them (every puzzle steps until
 * halt_max_steps, no early halting) and writes each step's outputs in the golden layout, so any golden case or
 * official checkpoint can be compared with the PyTorch reference.
 */
@Command(name = "forward",
        mixinStandardHelpOptions = true,
        description = {
                "Runs N ACT steps in the official eval mode (no early halting) on the 'inputs' [B, S] and "
                        + "'puzzle_identifiers' [B] of a safetensors file and writes step{k}.logits, step{k}.q_halt, "
                        + "step{k}.q_continue (F32), step{k}.steps, step{k}.halted (I32) and step1.z_H/z_L.",
                "Start the JVM with OMP_WAIT_POLICY=PASSIVE on a shared machine."})
public final class ForwardCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** --model is required; --batch and the length come from --inputs; --task is not needed to replay steps. */
    @Mixin
    private ModelOptions modelOptions;

    @Option(names = "--inputs", required = true, paramLabel = "FILE",
            description = "safetensors with integer tensors 'inputs' [B, S] and 'puzzle_identifiers' [B]")
    private Path inputsFile;

    @Option(names = "--steps", paramLabel = "N", description = "ACT steps to run (default: the model's halt_max_steps)")
    private Integer steps;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "safetensors file to write")
    private Path outFile;

    @Override
    public Integer call() {
        try {
            run();
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("forward: " + e.getMessage());
            return 1;
        }
    }

    private void run() throws IOException {
        Map<String, HostTensor> io = Safetensors.read(inputsFile);
        HostTensor inputs = integerTensor(io, "inputs", 2);
        HostTensor puzzleIdentifiers = integerTensor(io, "puzzle_identifiers", 1);
        long batch = inputs.shape()[0];
        int seqLen = Math.toIntExact(inputs.shape()[1]);
        if (puzzleIdentifiers.shape()[0] != batch) {
            throw new IllegalArgumentException(inputsFile + ": " + batch + " inputs but "
                    + puzzleIdentifiers.shape()[0] + " puzzle_identifiers");
        }
        Path modelDir = modelOptions.singleModelDir(spec.commandLine(), true).orElseThrow();
        if (modelOptions.batch != null) {
            throw new ParameterException(spec.commandLine(), "forward takes its batch from --inputs (" + batch + ")");
        }
        if (modelOptions.seqLen != null && modelOptions.seqLen != seqLen) {
            throw new ParameterException(spec.commandLine(), "--seq-len " + modelOptions.seqLen + " disagrees with "
                    + inputsFile + "'s puzzles of " + seqLen + " tokens");
        }
        ComputeDevice compute = modelOptions.device(spec.commandLine());
        Map<String, HostTensor> outputs = new LinkedHashMap<>();
        int n;
        try (ReasoningModel model = ModelLoader.load(modelDir, compute, OptionalInt.of(seqLen));
             NDManager manager = model.manager().newSubManager()) {
            if (model.config().seqLen() != seqLen) {
                throw new IllegalArgumentException(inputsFile + ": puzzles of " + seqLen + " tokens, the model takes "
                        + model.config().seqLen());
            }
            n = steps != null ? steps : model.config().haltMaxSteps();
            if (n < 1) {
                throw new IllegalArgumentException("--steps must be positive");
            }
            ActModel act = new ActModel(model);
            NDArray tokens = manager.create(inputs.toInts(), new Shape(inputs.shape()));
            NDArray ids = manager.create(puzzleIdentifiers.toInts(), new Shape(batch));
            ActCarry carry = act.initialCarry(tokens, ids);
            for (int k = 1; k <= n; k++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    ActStep step = act.forward(carry, tokens, ids);
                    String p = "step" + k + ".";
                    outputs.put(p + "logits", HostTensor.of(step.logits()));
                    outputs.put(p + "q_halt", HostTensor.of(step.qHalt()));
                    outputs.put(p + "q_continue", HostTensor.of(step.qContinue()));
                    outputs.put(p + "steps", HostTensor.of(step.carry().steps()));
                    outputs.put(p + "halted", HostTensor.of(step.carry().halted()));
                    if (k == 1) {
                        outputs.put("step1.z_H", HostTensor.of(step.carry().inner().zH()));
                        outputs.put("step1.z_L", HostTensor.of(step.carry().inner().zL()));
                    }
                    step.carry().arrays().forEach(NDScope::unregister);   // the next step's input survives
                    carry.close();
                    carry = step.carry();
                }
            }
            carry.close();
        }
        Map<String, HostTensor> file = new LinkedHashMap<>();
        file.put("inputs", inputs);
        file.put("puzzle_identifiers", puzzleIdentifiers);
        file.putAll(outputs);
        Safetensors.write(outFile, file, Map.of("model", modelDir.toString(), "device", compute.toString()));
        spec.commandLine().getOut().printf("forward: %d puzzles, %d ACT steps, %s -> %s%n",
                batch, n, compute, outFile);
    }

    private HostTensor integerTensor(Map<String, HostTensor> io, String name, int rank) {
        HostTensor t = io.get(name);
        if (t == null) {
            throw new IllegalArgumentException(inputsFile + ": no tensor '" + name + "'");
        }
        if (t.dtype().isFloatingPoint() || t.shape().length != rank) {
            throw new IllegalArgumentException(inputsFile + ": '" + name + "' must be an integer tensor of rank "
                    + rank + ", is " + t);
        }
        return t;
    }
}
