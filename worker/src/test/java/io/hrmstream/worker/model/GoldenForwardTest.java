package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.hrmstream.worker.checkpoint.HostTensor;
import io.hrmstream.worker.checkpoint.ModelLoader;
import io.hrmstream.worker.checkpoint.Safetensors;
import io.hrmstream.worker.checkpoint.TorchCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static io.hrmstream.worker.model.GoldenCase.argmax;
import static io.hrmstream.worker.model.GoldenCase.assertClose;
import static io.hrmstream.worker.model.GoldenCase.clearWinner;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Java forward pass reproduces the official PyTorch one on every golden case (test resources golden/, see its
 * README): logits, q_halt and q_continue at every ACT step within 1e-4, z_H and z_L after step 1, and the exact
 * steps / halted / argmax. trm-mlp is ill-conditioned (rounding grows ~10x per step): step 1, then step 2
 * teacher-forced from the recorded step-1 carry, then steps and halting only.
 */
class GoldenForwardTest {

    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource({
            "hrm-rope, weights.safetensors",
            "hrm-rope, checkpoint.pt",
            "hrm-learned, weights.safetensors",
            "trm-att, weights.safetensors",
            "trm-att, checkpoint.pt",
    })
    void everyActStepMatchesTheOfficialForward(String caseName, String weightFile) throws IOException {
        GoldenCase golden = GoldenCase.load(caseName);
        try (ReasoningModel model = load(golden, weightFile);
             NDManager manager = model.manager().newSubManager();
             NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ActModel act = new ActModel(model);
            NDArray inputs = golden.array(manager, "inputs");
            NDArray ids = golden.array(manager, "puzzle_identifiers");
            ActCarry carry = act.initialCarry(inputs, ids);
            for (int k = 1; k <= model.config().haltMaxSteps(); k++) {
                ActStep step = act.forward(carry, inputs, ids);
                assertStepMatches(golden, k, step, model.config());
                if (k == 1) {
                    assertClose(golden.floats("step1.z_H"), step.carry().inner().zH().toFloatArray(), TOLERANCE,
                            caseName + " step1.z_H");
                    assertClose(golden.floats("step1.z_L"), step.carry().inner().zL().toFloatArray(), TOLERANCE,
                            caseName + " step1.z_L");
                }
                carry = step.carry();
            }
        }
    }

    @Test
    void trmMlpMatchesAtStepOneAndAtStepTwoFromTheRecordedCarry() throws IOException {
        GoldenCase golden = GoldenCase.load("trm-mlp");
        try (ReasoningModel model = load(golden, "weights.safetensors");
             NDManager manager = model.manager().newSubManager();
             NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            ActModel act = new ActModel(model);
            NDArray inputs = golden.array(manager, "inputs");
            NDArray ids = golden.array(manager, "puzzle_identifiers");

            ActStep step1 = act.forward(act.initialCarry(inputs, ids), inputs, ids);
            assertStepMatches(golden, 1, step1, model.config());
            assertClose(golden.floats("step1.z_H"), step1.carry().inner().zH().toFloatArray(), TOLERANCE, "step1.z_H");
            assertClose(golden.floats("step1.z_L"), step1.carry().inner().zL().toFloatArray(), TOLERANCE, "step1.z_L");

            // teacher forcing: step 2 restarts from the official step-1 carry
            ActCarry recorded = new ActCarry(
                    new InnerCarry(golden.array(manager, "step1.z_H"), golden.array(manager, "step1.z_L")),
                    step1.carry().steps(), step1.carry().halted(), inputs, ids);
            ActStep step2 = act.forward(recorded, inputs, ids);
            assertStepMatches(golden, 2, step2, model.config());

            // free-running steps 3 and 4: the values drift (the README's advice), the ACT bookkeeping must not
            ActCarry carry = step2.carry();
            for (int k = 3; k <= 4; k++) {
                ActStep step = act.forward(carry, inputs, ids);
                assertArrayEquals(golden.ints("step" + k + ".steps"), step.carry().steps().toIntArray(), "steps " + k);
                assertArrayEquals(golden.ints("step" + k + ".halted"), asInts(step.carry().halted()), "halted " + k);
                carry = step.carry();
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"hrm-rope", "trm-att"})
    void checkpointPtHoldsTheSameTensorsAsWeightsSafetensors(String caseName) throws IOException {
        GoldenCase golden = GoldenCase.load(caseName);
        Map<String, HostTensor> fromPickle = TorchCheckpoint.read(golden.dir().resolve("checkpoint.pt"));
        Map<String, HostTensor> fromSafetensors = Safetensors.read(golden.dir().resolve("weights.safetensors"));
        assertEquals(List.copyOf(fromSafetensors.keySet()), List.copyOf(fromPickle.keySet()), "keys in state_dict order");
        fromSafetensors.forEach((key, expected) -> {
            HostTensor actual = fromPickle.get(key);
            assertEquals(expected.dtype(), actual.dtype(), key);
            assertArrayEquals(expected.shape(), actual.shape(), key);
            assertArrayEquals(expected.toFloats(), actual.toFloats(), key);
        });
    }

    private static ReasoningModel load(GoldenCase golden, String weightFile) throws IOException {
        Map<String, HostTensor> weights = ModelLoader.readWeightFile(golden.dir().resolve(weightFile));
        ModelConfig config = ModelLoader.load(golden.dir(), ComputeDevice.cpu(), OptionalInt.empty()).config();
        return ReasoningModel.fromStateDict(config, weights, ComputeDevice.cpu());
    }

    private static void assertStepMatches(GoldenCase golden, int k, ActStep step, ModelConfig config) {
        String at = golden.name() + " step" + k;
        float[] expectedLogits = golden.floats("step" + k + ".logits");
        float[] logits = step.logits().toFloatArray();
        assertClose(expectedLogits, logits, TOLERANCE, at + ".logits");
        assertClose(golden.floats("step" + k + ".q_halt"), step.qHalt().toFloatArray(), TOLERANCE, at + ".q_halt");
        assertClose(golden.floats("step" + k + ".q_continue"), step.qContinue().toFloatArray(), TOLERANCE,
                at + ".q_continue");
        assertArrayEquals(golden.ints("step" + k + ".steps"), step.carry().steps().toIntArray(), at + ".steps");
        assertArrayEquals(golden.ints("step" + k + ".halted"), asInts(step.carry().halted()), at + ".halted");
        int vocab = config.vocabSize();
        int[] expectedArgmax = argmax(expectedLogits, vocab);
        int[] actualArgmax = argmax(logits, vocab);
        for (int r = 0; r < expectedArgmax.length; r++) {
            if (clearWinner(expectedLogits, vocab, r, 1e-3)) {
                assertEquals(expectedArgmax[r], actualArgmax[r], at + " argmax at token " + r);
            }
        }
    }

    private static int[] asInts(NDArray booleans) {
        boolean[] values = booleans.toBooleanArray();
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] ? 1 : 0;
        }
        return out;
    }
}
