package io.hrmstream.worker.bench;

import io.hrmstream.worker.model.Architecture;
import io.hrmstream.worker.model.ModelConfig;

/**
 * Floating-point operations of one ACT step for one puzzle, counted from the config: the matrix products only
 * (2 per multiply-add); norms, softmax, RoPE, SiLU and adds are left out (under 2% at the default size). With
 * S' = S+P positions, h hidden, I the SwiGLU width:
 * <ul>
 *   <li>attention block: qkv 2·S'·h·3h, scores 2·S'·S'·h, weighted values 2·S'·S'·h, output 2·S'·h·h</li>
 *   <li>TRM mlp_t instead of attention: a SwiGLU of width I_t over the S' positions, per feature:
 *       2·h·S'·2I_t + 2·h·I_t·S'</li>
 *   <li>SwiGLU: gate_up 2·S'·h·2I, down 2·S'·I·h</li>
 *   <li>blocks per step: HRM H_cycles·(L_cycles·L_layers + H_layers); TRM H_cycles·(L_cycles + 1)·L_layers</li>
 *   <li>heads: lm_head 2·S·h·V, q_head 2·h·2</li>
 * </ul>
 * Default sudoku model (hidden 128, 4 heads, 2+2 layers, 2×2 cycles, S 81): 0.550 GFLOP per puzzle-step.
 */
public final class ActStepFlops {

    private ActStepFlops() {
    }

    public static double perPuzzleStep(ModelConfig c) {
        double positions = c.stateLength();
        double h = c.hiddenSize();
        double inner = ModelConfig.swiGluIntermediateSize(c.hiddenSize(), c.expansion());
        double mixing;
        if (c.architecture() == Architecture.TRM && c.mlpT()) {
            double innerT = ModelConfig.swiGluIntermediateSize(c.stateLength(), c.expansion());
            mixing = 2 * h * positions * 2 * innerT + 2 * h * innerT * positions;
        } else {
            mixing = 2 * positions * h * 3 * h + 2 * 2 * positions * positions * h + 2 * positions * h * h;
        }
        double mlp = 2 * positions * h * 2 * inner + 2 * positions * inner * h;
        double blocks = c.architecture() == Architecture.TRM
                ? (double) c.hCycles() * (c.lCycles() + 1) * c.lLayers()
                : (double) c.hCycles() * (c.lCycles() * c.lLayers() + c.hLayers());
        double heads = 2.0 * c.seqLen() * h * c.vocabSize() + 2 * h * 2;
        return blocks * (mixing + mlp) + heads;
    }
}
