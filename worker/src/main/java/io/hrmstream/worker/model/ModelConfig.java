package io.hrmstream.worker.model;


import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model's hyper-parameters: the official pydantic config ({@code HierarchicalReasoningModel_ACTV1Config},
 * {@code TinyRecursiveReasoningModel_ACTV1Config}). Each component's comment gives its official field name, which is
 * what {@link #fromOfficialFields} reads and {@link #toOfficialFields} writes.
 *
 * @param architecture         hrm_act_v1 or trm ({@code arch.name} in all_config.yaml)
 * @param batchSize            {@code batch_size}: training batch; affects nothing at inference
 * @param seqLen               {@code seq_len}: input tokens per puzzle (S)
 * @param puzzleEmbNdim        {@code puzzle_emb_ndim}: width of the per-puzzle embedding, 0 for none
 * @param numPuzzleIdentifiers {@code num_puzzle_identifiers}: rows of the puzzle-embedding table
 * @param vocabSize            {@code vocab_size}
 * @param hCycles              {@code H_cycles}
 * @param lCycles              {@code L_cycles}
 * @param hLayers              {@code H_layers} (ignored by TRM)
 * @param lLayers              {@code L_layers}
 * @param hiddenSize           {@code hidden_size}
 * @param expansion            {@code expansion}: SwiGLU width factor
 * @param numHeads             {@code num_heads}
 * @param posEncodings         {@code pos_encodings}
 * @param rmsNormEps           {@code rms_norm_eps}
 * @param ropeTheta            {@code rope_theta}
 * @param haltMaxSteps         {@code halt_max_steps}: the ACT step limit
 * @param haltExplorationProb  {@code halt_exploration_prob} (training only)
 * @param forwardDtype         {@code forward_dtype}: kept for the file; the compute dtype follows the device instead
 * @param mlpT                 {@code mlp_t} (TRM): a SwiGLU across positions replaces attention
 * @param puzzleEmbLen         {@code puzzle_emb_len} (TRM): prefix positions; 0 means ceil(puzzle_emb_ndim / hidden)
 * @param noActContinue        {@code no_ACT_continue} (TRM): halt on q_halt > 0; the continue logit is not trained
 */
public record ModelConfig(
        Architecture architecture,
        int batchSize,
        int seqLen,
        int puzzleEmbNdim,
        int numPuzzleIdentifiers,
        int vocabSize,
        int hCycles,
        int lCycles,
        int hLayers,
        int lLayers,
        int hiddenSize,
        double expansion,
        int numHeads,
        PosEncoding posEncodings,
        double rmsNormEps,
        double ropeTheta,
        int haltMaxSteps,
        double haltExplorationProb,
        String forwardDtype,
        boolean mlpT,
        int puzzleEmbLen,
        boolean noActContinue) {

    public ModelConfig {
        require(seqLen > 0, "seq_len must be positive");
        require(vocabSize > 0, "vocab_size must be positive");
        require(numPuzzleIdentifiers > 0, "num_puzzle_identifiers must be positive");
        require(puzzleEmbNdim >= 0, "puzzle_emb_ndim must not be negative");
        require(hiddenSize > 0 && numHeads > 0 && hiddenSize % numHeads == 0,
                "hidden_size must be a positive multiple of num_heads");
        require(hCycles > 0 && lCycles > 0, "H_cycles and L_cycles must be positive");
        require(lLayers > 0, "L_layers must be positive");
        require(architecture == Architecture.TRM || hLayers > 0, "H_layers must be positive");
        require(expansion > 0, "expansion must be positive");
        require(haltMaxSteps > 0, "halt_max_steps must be positive");
        require(architecture == Architecture.TRM || posEncodings != PosEncoding.NONE,
                "hrm_act_v1 needs pos_encodings rope or learned");
        require(posEncodings != PosEncoding.ROPE || (hiddenSize / numHeads) % 2 == 0, "rope needs an even head_dim");
        require(puzzleEmbLen >= 0, "puzzle_emb_len must not be negative");
        // The official TRM would fail with mismatched shapes here: the carry has the prefix, the input does not.
        require(!(architecture == Architecture.TRM && puzzleEmbNdim == 0 && puzzleEmbLen > 0),
                "puzzle_emb_len > 0 needs puzzle_emb_ndim > 0");
        require(puzzleEmbNdim <= resolvePrefix(architecture, puzzleEmbNdim, hiddenSize, puzzleEmbLen) * hiddenSize,
                "puzzle_emb_ndim does not fit into puzzle_emb_len * hidden_size");
    }

    /** Width of one attention head. */
    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** P: puzzle-embedding prefix positions (HRM: ceil(puzzle_emb_ndim / hidden); TRM: puzzle_emb_len if set). */
    public int prefixLength() {
        return resolvePrefix(architecture, puzzleEmbNdim, hiddenSize, puzzleEmbLen);
    }

    /** S+P: positions of the recurrent state z_H / z_L. */
    public int stateLength() {
        return seqLen + prefixLength();
    }

    /** How the q logits decide halting: TRM without a continue head halts on q_halt > 0. */
    public HaltRule haltRule() {
        return architecture == Architecture.TRM && noActContinue
                ? HaltRule.Q_HALT_ABOVE_ZERO : HaltRule.Q_HALT_ABOVE_Q_CONTINUE;
    }

    /** layers.py SwiGLU: {@code _find_multiple(round(expansion * width * 2 / 3), 256)}. */
    public static int swiGluIntermediateSize(int width, double expansion) {
        long rounded = (long) Math.rint(expansion * width * 2 / 3);   // Python's round(): half to even
        return (int) ((rounded + 255) / 256 * 256);
    }

    private static int resolvePrefix(Architecture arch, int ndim, int hidden, int configuredLen) {
        if (arch == Architecture.TRM && configuredLen != 0) {
            return configuredLen;
        }
        return (ndim + hidden - 1) / hidden;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("model config: " + message);
        }
    }

    // ---- official field names ----

    /**
     * Reads the official config fields (config.json, or all_config.yaml's {@code arch} section plus the data-set
     * fields). Missing optional fields take the official defaults; a missing required field is an error naming it.
     */
    public static ModelConfig fromOfficialFields(Architecture architecture, Map<String, ?> fields) {
        Fields f = new Fields(fields);
        boolean trm = architecture == Architecture.TRM;
        return new ModelConfig(
                architecture,
                f.integer("batch_size", 1),
                f.integer("seq_len"),
                f.integer("puzzle_emb_ndim", 0),
                f.integer("num_puzzle_identifiers"),
                f.integer("vocab_size"),
                f.integer("H_cycles"),
                f.integer("L_cycles"),
                f.integer("H_layers", trm ? 0 : null),
                f.integer("L_layers"),
                f.integer("hidden_size"),
                f.decimal("expansion"),
                f.integer("num_heads"),
                PosEncoding.ofName(f.text("pos_encodings")),
                f.decimal("rms_norm_eps", 1e-5),
                f.decimal("rope_theta", 10000.0),
                f.integer("halt_max_steps"),
                f.decimal("halt_exploration_prob", 0.0),
                f.text("forward_dtype", "bfloat16"),
                trm && f.bool("mlp_t", false),
                trm ? f.integer("puzzle_emb_len", 16) : 0,
                !trm || f.bool("no_ACT_continue", true));
    }

    /** The official fields in the official order (TRM adds its three fields), for config.json. */
    public Map<String, Object> toOfficialFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", batchSize);
        m.put("seq_len", seqLen);
        m.put("puzzle_emb_ndim", puzzleEmbNdim);
        m.put("num_puzzle_identifiers", numPuzzleIdentifiers);
        m.put("vocab_size", vocabSize);
        m.put("H_cycles", hCycles);
        m.put("L_cycles", lCycles);
        m.put("H_layers", hLayers);
        m.put("L_layers", lLayers);
        m.put("hidden_size", hiddenSize);
        m.put("expansion", expansion);
        m.put("num_heads", numHeads);
        m.put("pos_encodings", posEncodings.officialName());
        m.put("rms_norm_eps", rmsNormEps);
        m.put("rope_theta", ropeTheta);
        m.put("halt_max_steps", haltMaxSteps);
        m.put("halt_exploration_prob", haltExplorationProb);
        m.put("forward_dtype", forwardDtype);
        if (architecture == Architecture.TRM) {
            m.put("mlp_t", mlpT);
            m.put("puzzle_emb_len", puzzleEmbLen);
            m.put("no_ACT_continue", noActContinue);
        }
        return m;
    }

    /**
     * A builder whose defaults describe a small sudoku model: seq 81, vocab 11, hidden 128, 4 heads, 2 L layers
     * (HRM: 2 H layers), cycles 2/2 (TRM: 3/2), rope, no puzzle embedding, 16 ACT steps.
     */
    public static Builder builder(Architecture architecture) {
        return new Builder(architecture);
    }

    /** Reads typed values out of a parsed JSON/YAML map, naming the field in every error. */
    private record Fields(Map<String, ?> map) {
        Object raw(String name, Object fallback) {
            Object v = map.get(name);
            if (v == null) {
                if (fallback == null) {
                    throw new IllegalArgumentException("model config: missing field '" + name + "'");
                }
                return fallback;
            }
            return v;
        }

        int integer(String name) {
            return integer(name, null);
        }

        int integer(String name, Integer fallback) {
            Object v = raw(name, fallback);
            if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                return Math.toIntExact(n.longValue());
            }
            throw new IllegalArgumentException("model config: field '" + name + "' is not an integer: " + v);
        }

        double decimal(String name) {
            return decimal(name, null);
        }

        double decimal(String name, Double fallback) {
            Object v = raw(name, fallback);
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            if (v instanceof String s) {  // YAML writes 1e-5 without a dot as a string
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
            throw new IllegalArgumentException("model config: field '" + name + "' is not a number: " + v);
        }

        String text(String name) {
            return text(name, null);
        }

        String text(String name, String fallback) {
            return String.valueOf(raw(name, fallback));
        }

        boolean bool(String name, boolean fallback) {
            Object v = raw(name, fallback);
            if (v instanceof Boolean b) {
                return b;
            }
            throw new IllegalArgumentException("model config: field '" + name + "' is not a boolean: " + v);
        }
    }

    /** Builds a config in code, e.g. for a randomly initialised model. Setters carry the official field names. */
    public static final class Builder {
        private final Architecture architecture;
        private int batchSize = 1;
        private int seqLen = 81;
        private int puzzleEmbNdim = 0;
        private int numPuzzleIdentifiers = 1;
        private int vocabSize = 11;
        private int hCycles = 2;
        private int lCycles = 2;
        private int hLayers;
        private int lLayers = 2;
        private int hiddenSize = 128;
        private double expansion = 4;
        private int numHeads = 4;
        private PosEncoding posEncodings = PosEncoding.ROPE;
        private double rmsNormEps = 1e-5;
        private double ropeTheta = 10000.0;
        private int haltMaxSteps = 16;
        private double haltExplorationProb = 0.1;
        private String forwardDtype = "bfloat16";
        private boolean mlpT;
        private int puzzleEmbLen;
        private boolean noActContinue = true;

        private Builder(Architecture architecture) {
            this.architecture = architecture;
            boolean trm = architecture == Architecture.TRM;
            this.hLayers = trm ? 0 : 2;
            this.hCycles = trm ? 3 : 2;
        }

        public Builder batch_size(int v) { batchSize = v; return this; }
        public Builder seq_len(int v) { seqLen = v; return this; }
        public Builder puzzle_emb_ndim(int v) { puzzleEmbNdim = v; return this; }
        public Builder num_puzzle_identifiers(int v) { numPuzzleIdentifiers = v; return this; }
        public Builder vocab_size(int v) { vocabSize = v; return this; }
        public Builder H_cycles(int v) { hCycles = v; return this; }
        public Builder L_cycles(int v) { lCycles = v; return this; }
        public Builder H_layers(int v) { hLayers = v; return this; }
        public Builder L_layers(int v) { lLayers = v; return this; }
        public Builder hidden_size(int v) { hiddenSize = v; return this; }
        public Builder expansion(double v) { expansion = v; return this; }
        public Builder num_heads(int v) { numHeads = v; return this; }
        public Builder pos_encodings(PosEncoding v) { posEncodings = v; return this; }
        public Builder rms_norm_eps(double v) { rmsNormEps = v; return this; }
        public Builder rope_theta(double v) { ropeTheta = v; return this; }
        public Builder halt_max_steps(int v) { haltMaxSteps = v; return this; }
        public Builder halt_exploration_prob(double v) { haltExplorationProb = v; return this; }
        public Builder forward_dtype(String v) { forwardDtype = v; return this; }
        public Builder mlp_t(boolean v) { mlpT = v; return this; }
        public Builder puzzle_emb_len(int v) { puzzleEmbLen = v; return this; }
        public Builder no_ACT_continue(boolean v) { noActContinue = v; return this; }

        public ModelConfig build() {
            return new ModelConfig(architecture, batchSize, seqLen, puzzleEmbNdim, numPuzzleIdentifiers, vocabSize,
                    hCycles, lCycles, hLayers, lLayers, hiddenSize, expansion, numHeads, posEncodings, rmsNormEps,
                    ropeTheta, haltMaxSteps, haltExplorationProb, forwardDtype, mlpT, puzzleEmbLen, noActContinue);
        }
    }
}
