package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import io.hrmstream.worker.checkpoint.WeightSource;

/**
 * sparse_embedding.py {@code CastedSparseEmbedding} as the forward pass sees it: one learned vector per puzzle
 * identifier, zero-padded to fill the P prefix positions ({@code F.pad} then {@code view(-1, P, hidden)}).
 * The table is a buffer, zero-initialised; the official training updates it with its own sign-SGD, and so does
 * ours ({@code train.SparseEmbeddingSignSgd}), not AdamW.
 *
 * @param weights      puzzle_emb.weights [num_puzzle_identifiers, puzzle_emb_ndim]
 * @param prefixLength P
 * @param hiddenSize   hidden
 */
public record PuzzleEmbedding(NDArray weights, int prefixLength, int hiddenSize) {

    /** The table's state_dict key. */
    public static final String WEIGHTS_KEY = "puzzle_emb.weights";

    public PuzzleEmbedding {
        assert weights.getShape().get(1) <= (long) prefixLength * hiddenSize : "puzzle_emb_ndim exceeds the prefix";
    }

    static PuzzleEmbedding load(WeightSource source, ModelConfig config) {
        NDArray weights = source.buffer(WEIGHTS_KEY, Init.zeros(),
                config.numPuzzleIdentifiers(), config.puzzleEmbNdim());
        return new PuzzleEmbedding(weights, config.prefixLength(), config.hiddenSize());
    }

    /** Puzzle identifiers [B] -> prefix [B, P, hidden]. */
    public NDArray forward(NDArray puzzleIdentifiers) {
        long b = puzzleIdentifiers.getShape().get(0);
        long ndim = weights.getShape().get(1);
        NDArray vectors = puzzleIdentifiers.getNDArrayInternal()                              // [B, ndim]
                .embedding(puzzleIdentifiers, weights, SparseFormat.DENSE).singletonOrThrow();
        long padCount = (long) prefixLength * hiddenSize - ndim;
        if (padCount > 0) {
            NDArray zeros = puzzleIdentifiers.getManager().zeros(new Shape(b, padCount), weights.getDataType());
            vectors = vectors.concat(zeros, 1);                                                // [B, P·hidden]
        }
        return vectors.reshape(b, prefixLength, hiddenSize);                                   // [B, P, hidden]
    }
}
