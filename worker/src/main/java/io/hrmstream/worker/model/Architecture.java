package io.hrmstream.worker.model;

/** The two recurrent reasoning models, named by the official {@code arch.name} of their training config. */
public enum Architecture {
    /** Hierarchical Reasoning Model, ACT v1 (sapientinc/HRM {@code models/hrm/hrm_act_v1.py}). */
    HRM_ACT_V1("hrm_act_v1", "hrm.hrm_act_v1@HierarchicalReasoningModel_ACTV1"),
    /** Tiny Recursive Model (SamsungSAILMontreal/TinyRecursiveModels {@code models/recursive_reasoning/trm.py}). */
    TRM("trm", "recursive_reasoning.trm@TinyRecursiveReasoningModel_ACTV1");

    private final String shortName;
    private final String officialName;

    Architecture(String shortName, String officialName) {
        this.shortName = shortName;
        this.officialName = officialName;
    }

    /** {@code hrm_act_v1} or {@code trm}, as reported in model descriptors. */
    public String shortName() {
        return shortName;
    }

    /** The {@code arch.name} of the official all_config.yaml. */
    public String officialName() {
        return officialName;
    }

    /** The architecture an {@code arch.name} (or a short name) designates. */
    public static Architecture ofName(String name) {
        for (Architecture a : values()) {
            if (a.officialName.equals(name) || a.shortName.equals(name)) {
                return a;
            }
        }
        if (name.contains("hrm_act_v1")) {
            return HRM_ACT_V1;
        }
        if (name.contains("recursive_reasoning.trm@")) {
            return TRM;
        }
        throw new IllegalArgumentException("unsupported architecture '" + name + "' (supported: "
                + HRM_ACT_V1.officialName + ", " + TRM.officialName + ")");
    }
}
