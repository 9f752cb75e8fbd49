package io.hrmstream.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.SparseFormat;
import io.hrmstream.worker.checkpoint.WeightSource;

/**
 * layers.py {@code CastedEmbedding}: a lookup table, truncated normal init with std 1/sqrt(hidden).
 *
 * @param embeddingWeight [num_embeddings, hidden]
 */
public record CastedEmbedding(NDArray embeddingWeight) {

    /** Loads {@code <prefix>embedding_weight}. */
    static CastedEmbedding load(WeightSource source, String prefix, int count, int hidden) {
        return new CastedEmbedding(source.parameter(prefix + "embedding_weight",
                new Init.TruncatedNormal(1.0 / Math.sqrt(hidden)), count, hidden));
    }

    /** Integer ids [...] -> rows [..., hidden] (torch.nn.functional.embedding). */
    public NDArray forward(NDArray ids) {
        return ids.getNDArrayInternal().embedding(ids, embeddingWeight, SparseFormat.DENSE).singletonOrThrow();
    }
}
