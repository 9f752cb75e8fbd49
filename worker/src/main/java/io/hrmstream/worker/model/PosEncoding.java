package io.hrmstream.worker.model;

/** The config's {@code pos_encodings}. */
public enum PosEncoding {
    /** Rotary embedding on the attention's queries and keys. */
    ROPE("rope"),
    /** A learned embedding added to the input, scaled by 1/sqrt(2). */
    LEARNED("learned"),
    /** No positions (TRM only, e.g. with {@code mlp_t}). */
    NONE("none");

    private final String officialName;

    PosEncoding(String officialName) {
        this.officialName = officialName;
    }

    public String officialName() {
        return officialName;
    }

    public static PosEncoding ofName(String name) {
        for (PosEncoding p : values()) {
            if (p.officialName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unsupported pos_encodings '" + name + "' (supported: rope, learned, none)");
    }
}
