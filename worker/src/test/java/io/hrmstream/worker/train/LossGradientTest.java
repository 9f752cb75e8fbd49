package io.hrmstream.worker.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ComputeDevice;
import io.hrmstream.worker.model.InnerCarry;
import io.hrmstream.worker.model.InnerOutput;
import io.hrmstream.worker.model.ModelConfig;
import io.hrmstream.worker.model.PosEncoding;
import io.hrmstream.worker.model.ReasoningModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer's gradients are the derivative of its loss: every parameter's autograd gradient, projected on a random
 * direction, equals the central finite difference of the loss along that direction.
 * <p>
 * With one H and one L cycle the one-step gradient is the whole gradient of the step (there are no leading updates
 * without gradient), so a finite difference of the forward pass can check it: a path that autograd dropped (an op
 * that cuts the graph, a dtype cast, a detached view) shows up as a mismatch on the parameters behind it.
 */
class LossGradientTest {

    private static final int BATCH = 3;
    private static final int SEQ = 12;
    private static final float EPSILON = 1e-2f;

    @ParameterizedTest
    @EnumSource(value = Architecture.class)
    void autogradMatchesFiniteDifferencesForEveryParameter(Architecture architecture) {
        ModelConfig config = ModelConfig.builder(architecture)
                .seq_len(SEQ).vocab_size(11).num_puzzle_identifiers(1).hidden_size(16).num_heads(2)
                .H_layers(2).L_layers(2).H_cycles(1).L_cycles(1).pos_encodings(PosEncoding.ROPE)
                .halt_max_steps(4).build();
        try (ReasoningModel model = ReasoningModel.randomlyInitialised(config, 5, ComputeDevice.cpu());
             NDManager m = model.manager().newSubManager()) {
            Random random = new Random(11);
            Map<String, NDArray> parameters = model.parameters();
            // the official q_head starts at weight 0, bias -5: move it so that its gradient is not trivially tiny
            parameters.get(qHeadWeightKey(parameters)).addi(m.randomNormal(0, 0.3f,
                    parameters.get(qHeadWeightKey(parameters)).getShape(), DataType.FLOAT32));
            Batch batch = Batch.random(m, config, random);

            parameters.values().forEach(p -> p.setRequiresGradient(true));
            List<ByteBuffer> poison;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = loss(model, batch);
                poison = poisonFreedNativeMemory();   // what a garbage collection between forward and backward does
                collector.backward(loss);
            }
            assertTrue(poison.size() > 0);
            List<String> mismatches = new ArrayList<>();
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray p = e.getValue();
                NDArray direction = m.randomNormal(p.getShape(), DataType.FLOAT32);
                direction = direction.div(direction.norm().getFloat());             // unit length
                NDArray gradient = p.getGradient();
                double analytic = gradient.mul(direction).sum().getFloat();
                gradient.close();

                p.addi(direction.mul(EPSILON));
                double plus = loss(model, batch).getFloat();
                p.subi(direction.mul(2 * EPSILON));
                double minus = loss(model, batch).getFloat();
                p.addi(direction.mul(EPSILON));
                double numeric = (plus - minus) / (2 * EPSILON);

                double tolerance = 2e-3 + 0.03 * Math.abs(numeric);
                if (!(Math.abs(analytic - numeric) <= tolerance)) {
                    mismatches.add(e.getKey() + ": autograd " + analytic + " vs finite difference " + numeric);
                }
            }
            assertTrue(parameters.size() >= 10, "checked " + parameters.keySet());
            assertEquals(List.of(), mismatches);
        }
    }

    /**
     * Collects garbage, lets the cleaner free what direct buffers died, then takes small native blocks and fills them
     * with NaN: a tensor that still reads memory it does not own (from_blob over a Java buffer) now reads NaN.
     */
    private static List<ByteBuffer> poisonFreedNativeMemory() {
        List<ByteBuffer> blocks = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 20_000; i++) {
                ByteBuffer block = ByteBuffer.allocateDirect(4 << (i % 3)).order(ByteOrder.nativeOrder());
                while (block.remaining() >= 4) block.putFloat(Float.NaN);
                blocks.add(block);
            }
        }
        return blocks;
    }

    private static String qHeadWeightKey(Map<String, NDArray> parameters) {
        return parameters.keySet().stream().filter(k -> k.endsWith("q_head.weight")).findFirst().orElseThrow();
    }

    /** The trainer's loss for one step ({@link ActLosses#stepLoss}) on the model's forward pass. */
    private static NDArray loss(ReasoningModel model, Batch batch) {
        InnerOutput out = model.forward(batch.carry(), batch.tokens(), batch.puzzleIds());
        return ActLosses.stepLoss(out.logits(), batch.labels(), batch.divisors(), out.qHalt(), batch.haltTargets(),
                out.qContinue(), batch.continueTargets()).total();
    }

    /** A step's inputs: a carry that is not the initial one, tokens, labels (some ignored) and soft Q targets. */
    private record Batch(InnerCarry carry, NDArray tokens, NDArray puzzleIds, NDArray labels, NDArray divisors,
                         NDArray haltTargets, NDArray continueTargets) {

        static Batch random(NDManager m, ModelConfig config, Random random) {
            Shape state = new Shape(BATCH, config.stateLength(), config.hiddenSize());
            int[] tokens = new int[BATCH * SEQ];
            long[] labels = new long[BATCH * SEQ];
            float[] divisors = new float[BATCH];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = 1 + random.nextInt(10);
                labels[i] = i % 5 == 4 ? ActLosses.IGNORE_LABEL : 1 + random.nextInt(10);
                if (labels[i] != ActLosses.IGNORE_LABEL) divisors[i / SEQ]++;
            }
            return new Batch(
                    new InnerCarry(m.randomNormal(state, DataType.FLOAT32), m.randomNormal(state, DataType.FLOAT32)),
                    m.create(tokens, new Shape(BATCH, SEQ)),
                    m.zeros(new Shape(BATCH), DataType.INT32),
                    m.create(labels, new Shape(BATCH, SEQ)),
                    m.create(divisors),
                    m.create(new float[] {1, 0, 1}),
                    m.create(new float[] {0.2f, 0.7f, 0.5f}));
        }
    }
}
