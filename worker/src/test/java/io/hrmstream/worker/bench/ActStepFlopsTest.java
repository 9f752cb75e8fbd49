package io.hrmstream.worker.bench;

import io.hrmstream.worker.bench.ActStepFlops;
import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ModelConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ActStepFlopsTest {

    @Test
    void theDefaultHrmCostsTwelveBlocksOfMatrixProductsPlusTheHeadsPerPuzzleStep() {
        ModelConfig config = ModelConfig.builder(Architecture.HRM_ACT_V1).build();
        // per block, S'=81, h=128, I=512: qkv 7,962,624 + scores 1,679,616 + values 1,679,616 + out 2,654,208
        //                                 + gate_up 21,233,664 + down 10,616,832 = 45,826,560
        double block = 45_826_560;
        double heads = 2.0 * 81 * 128 * 11 + 2 * 128 * 2;   // lm_head + q_head

        assertEquals(12 * block + heads, ActStepFlops.perPuzzleStep(config), 0.5);
    }

    @Test
    void trmRunsItsSingleStackHCyclesTimesLCyclesPlusOne() {
        ModelConfig config = ModelConfig.builder(Architecture.TRM).H_cycles(3).L_cycles(2).L_layers(2).build();
        double block = 45_826_560;
        double heads = 2.0 * 81 * 128 * 11 + 2 * 128 * 2;

        assertEquals(3 * 3 * 2 * block + heads, ActStepFlops.perPuzzleStep(config), 0.5);
    }

    @Test
    void trmMlpTMixesPositionsWithASwiGluOverThePositionsInsteadOfAttention() {
        ModelConfig config = ModelConfig.builder(Architecture.TRM).mlp_t(true).pos_encodings(
                io.hrmstream.worker.model.PosEncoding.NONE).H_cycles(1).L_cycles(1).L_layers(1).build();
        // mlp_t over S'=81 positions: I_t = round(4*81*2/3)=216 -> 256; per feature 2*81*512 + 2*256*81, times h=128
        double mixing = 128 * (2.0 * 81 * 512 + 2.0 * 256 * 81);
        double mlp = 21_233_664 + 10_616_832;
        double heads = 2.0 * 81 * 128 * 11 + 2 * 128 * 2;

        assertEquals(2 * (mixing + mlp) + heads, ActStepFlops.perPuzzleStep(config), 0.5);
    }
}
