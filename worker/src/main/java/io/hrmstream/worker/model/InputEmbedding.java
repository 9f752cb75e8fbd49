package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import io.hrmstream.worker.djl.Scalars;

/**
 * {@code _input_embeddings}: token embedding, puzzle-embedding prefix, learned positions if configured, all scaled
 * by sqrt(hidden). Computed once per ACT step and injected into every L update as z_H + x.
 *
 * @param embedTokens embed_tokens [V, hidden]
 * @param puzzleEmb   puzzle_emb, or null when puzzle_emb_ndim is 0
 * @param embedPos    embed_pos [S+P, hidden] for learned positions, else null
 * @param embedScale  sqrt(hidden)
 */
public record InputEmbedding(CastedEmbedding embedTokens, PuzzleEmbedding puzzleEmb, CastedEmbedding embedPos,
                             float embedScale) {

    /** The official constant for "scale by 1/sqrt(2) to maintain forward variance". */
    private static final float INV_SQRT2 = 0.707106781f;

    /** Tokens [B, S] and puzzle identifiers [B] (int32) -> input embedding [B, S+P, hidden]. */
    public NDArray forward(NDArray inputs, NDArray puzzleIdentifiers) {
        NDArray embedding = embedTokens.forward(inputs);                                   // [B, S, hidden]
        if (puzzleEmb != null) {
            embedding = puzzleEmb.forward(puzzleIdentifiers).concat(embedding, 1);        // [B, P+S, hidden]
        }
        if (embedPos != null) {
            embedding = embedding.add(embedPos.embeddingWeight())                        // [B, S+P, hidden]
                    .mul(Scalars.of(embedding, INV_SQRT2));
        }
        return embedding.mul(Scalars.of(embedding, embedScale));                           // [B, S+P, hidden]
    }
}
