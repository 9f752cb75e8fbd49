package io.hrmstream.tools.kafka;

/** The wire contract's topic names (issue 2, section 2). */
public final class Topics {

    public static final String REQUESTS = "hrm.requests";
    public static final String SOLUTIONS = "hrm.solutions";

    private Topics() {
    }
}
