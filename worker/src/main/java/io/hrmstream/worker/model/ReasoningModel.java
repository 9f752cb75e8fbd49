package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.hrmstream.worker.checkpoint.HostTensor;
import io.hrmstream.worker.checkpoint.WeightSource;
import io.hrmstream.worker.djl.GradMode;
import io.hrmstream.worker.djl.Scopes;
import io.hrmstream.worker.engine.ResidentSlotBatch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The inner model of HRM ACT v1 and TRM ({@code HierarchicalReasoningModel_ACTV1_Inner},
 * {@code TinyRecursiveReasoningModel_ACTV1_Inner}): one ACT step maps a carry (z_H, z_L) and a batch of puzzles to
 * a new carry, token logits and the two q logits. The ACT loop around it is {@link ActModel} (official batch
 * semantics) or {@link ResidentSlotBatch} (per-puzzle halting).
 * <p>
 * Weights are NDArrays under their official state_dict keys ({@link #stateDict()}); the forward pass never writes
 * them, so a trainer may {@code setRequiresGradient(true)} on {@link #parameters()} and differentiate
 * {@link #forward}, which applies the official one-step gradient: only {@link Reasoner#finalUpdates} build a graph.
 * Owns its NDManager; {@link #close()} frees every weight.
 */
public final class ReasoningModel implements AutoCloseable {

    private final ModelConfig config;
    private final ComputeDevice device;
    private final NDManager manager;
    private final NDArray hInit;                 // H_init [hidden]
    private final NDArray lInit;                 // L_init [hidden]
    private final InputEmbedding input;
    private final CastedLinear lmHead;           // lm_head [V, hidden]
    private final CastedLinear qHead;            // q_head [2, hidden] + [2]
    private final RotaryEmbedding rotaryEmb;     // null unless pos_encodings is rope
    private final Reasoner reasoner;
    private final Map<String, NDArray> stateDict;
    private final Set<String> bufferKeys;

    /** A model holding the tensors of a state_dict (keys with or without the official prefix). */
    public static ReasoningModel fromStateDict(ModelConfig config, Map<String, HostTensor> stateDict,
                                               ComputeDevice device) {
        NDManager manager = NDManager.newBaseManager(device.device());
        try {
            WeightSource source = WeightSource.ofStateDict(stateDict, manager, device.dataType());
            ReasoningModel model = new ReasoningModel(config, device, manager, source);
            source.requireAllUsed();
            return model;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A model with the official random initialisation, deterministic for {@code seed}. */
    public static ReasoningModel randomlyInitialised(ModelConfig config, long seed, ComputeDevice device) {
        NDManager manager = NDManager.newBaseManager(device.device());
        try {
            return new ReasoningModel(config, device, manager, WeightSource.random(seed, manager, device.dataType()));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Takes the tensors in the official state_dict order: own buffers, then submodules as registered. */
    private ReasoningModel(ModelConfig config, ComputeDevice device, NDManager manager, WeightSource source) {
        this.config = config;
        this.device = device;
        this.manager = manager;
        int hidden = config.hiddenSize();
        this.hInit = source.buffer("H_init", new Init.TruncatedNormal(1), hidden);
        this.lInit = source.buffer("L_init", new Init.TruncatedNormal(1), hidden);
        CastedEmbedding embedTokens = CastedEmbedding.load(source, "embed_tokens.", config.vocabSize(), hidden);
        this.lmHead = CastedLinear.load(source, "lm_head.", hidden, config.vocabSize(), false);
        // Q head special init: q ~ (almost) zero, halting unlikely, for faster bootstrapping
        this.qHead = new CastedLinear(
                source.parameter("q_head.weight", Init.zeros(), 2, hidden),
                source.parameter("q_head.bias", new Init.Constant(-5f), 2));
        PuzzleEmbedding puzzleEmb = config.puzzleEmbNdim() > 0 ? PuzzleEmbedding.load(source, config) : null;
        CastedEmbedding embedPos = config.posEncodings() == PosEncoding.LEARNED
                ? CastedEmbedding.load(source, "embed_pos.", config.stateLength(), hidden) : null;
        this.input = new InputEmbedding(embedTokens, puzzleEmb, embedPos, (float) Math.sqrt(hidden));
        this.rotaryEmb = config.posEncodings() == PosEncoding.ROPE
                ? RotaryEmbedding.create(manager, config.headDim(), config.stateLength(), config.ropeTheta()) : null;
        if (config.architecture() == Architecture.HRM_ACT_V1) {
            ReasoningModule hLevel = ReasoningModule.load(source, "H_level.", config.hLayers(), config);
            ReasoningModule lLevel = ReasoningModule.load(source, "L_level.", config.lLayers(), config);
            this.reasoner = new HrmReasoner(hLevel, lLevel, config.hCycles(), config.lCycles());
        } else {
            ReasoningModule lLevel = ReasoningModule.load(source, "L_level.", config.lLayers(), config);
            this.reasoner = new TrmReasoner(lLevel, config.hCycles(), config.lCycles());
        }
        this.stateDict = source.stateDict();
        this.bufferKeys = source.bufferKeys();
    }

    public ModelConfig config() {
        return config;
    }

    public ComputeDevice device() {
        return device;
    }

    /** The manager owning the weights; state for this model should live in a sub-manager of it. */
    public NDManager manager() {
        return manager;
    }

    public Reasoner reasoner() {
        return reasoner;
    }

    /** The rotary tables, or null when positions are learned or absent. */
    public RotaryEmbedding rotaryEmbedding() {
        return rotaryEmb;
    }

    /** Every persistent tensor under its official key without the {@code _orig_mod.model.inner.} prefix. */
    public Map<String, NDArray> stateDict() {
        return stateDict;
    }

    /** The trainable parameters: the state_dict without its buffers (H_init, L_init, puzzle_emb.weights). */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> params = new LinkedHashMap<>(stateDict);
        params.keySet().removeAll(bufferKeys);
        return params;
    }

    /** Keys of the persistent buffers in {@link #stateDict()}. */
    public Set<String> bufferKeys() {
        return bufferKeys;
    }

    /** The carry of puzzles that start now: z_H = H_init, z_L = L_init at every position, [B, S+P, hidden]. */
    public InnerCarry initialCarry(int batchSize) {
        Shape shape = new Shape(batchSize, config.stateLength(), config.hiddenSize());
        return Scopes.keepAll(() -> new InnerCarry(
                hInit.broadcast(shape).duplicate(),                             // [B, S+P, hidden]
                lInit.broadcast(shape).duplicate()));                           // [B, S+P, hidden]
    }

    /** {@code reset_carry}: rows whose flag is set [B] (boolean) restart from H_init / L_init. */
    public InnerCarry resetCarry(NDArray resetFlag, InnerCarry carry) {
        return Scopes.keepAll(() -> {
            Shape shape = carry.zH().getShape();                                // [B, S+P, hidden]
            NDArray reset = resetFlag.reshape(shape.get(0), 1, 1).broadcast(shape);
            return new InnerCarry(
                    NDArrays.where(reset, hInit.broadcast(shape), carry.zH()),  // [B, S+P, hidden]
                    NDArrays.where(reset, lInit.broadcast(shape), carry.zL())); // [B, S+P, hidden]
        });
    }

    /** {@code _input_embeddings}: tokens [B, S] and puzzle identifiers [B] (int32) -> [B, S+P, hidden]. */
    public NDArray inputEmbeddings(NDArray inputs, NDArray puzzleIdentifiers) {
        return Scopes.keep(() -> input.forward(inputs, puzzleIdentifiers));
    }

    /**
     * One ACT step of the inner model: the recursion (leading updates without gradient, then the final updates),
     * then {@code lm_head} on the S token positions and {@code q_head} on position 0. Temporaries are freed; the
     * returned arrays belong to the caller (or its enclosing NDScope).
     *
     * @param carry             z_H, z_L [B, S+P, hidden]
     * @param inputs            tokens [B, S], int32
     * @param puzzleIdentifiers [B], int32
     */
    public InnerOutput forward(InnerCarry carry, NDArray inputs, NDArray puzzleIdentifiers) {
        assert carry.zH().getShape().equals(new Shape(inputs.getShape().get(0), config.stateLength(),
                config.hiddenSize())) : "carry " + carry.zH().getShape() + " for inputs " + inputs.getShape();
        assert inputs.getShape().get(1) == config.seqLen() : "inputs " + inputs.getShape();
        int prefix = config.prefixLength();
        return Scopes.keepAll(() -> {
            NDArray x = input.forward(inputs, puzzleIdentifiers);                           // [B, S+P, hidden]
            InnerCarry leading = GradMode.disabled(() -> reasoner.leadingUpdates(carry, x, rotaryEmb));
            InnerCarry z = reasoner.finalUpdates(leading, x, rotaryEmb);                   // [B, S+P, hidden] x 2
            NDArray logits = lmHead.forward(z.zH().get(":, " + prefix + ":"));              // [B, S, V]
            NDArray q = qHead.forward(z.zH().get(":, 0")).toType(DataType.FLOAT32, false);  // [B, 2]
            return new InnerOutput(z.detached(), logits, q.get(":, 0"), q.get(":, 1"));    // q_halt, q_continue [B]
        });
    }

    @Override
    public void close() {
        manager.close();
    }
}
