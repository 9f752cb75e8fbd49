package io.hrmstream.tools.cli;

import java.util.LinkedHashSet;
import java.util.Set;

/** One line for a failure: the message of each cause in the chain, without repeats or stack traces. */
final class Errors {

    private Errors() {
    }

    static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown cause";
        }
        Set<String> messages = new LinkedHashSet<>();
        for (Throwable t = failure; t != null && messages.size() < 5; t = t.getCause()) {
            String message = t.getMessage();
            messages.add(message == null || message.isBlank() ? t.getClass().getSimpleName() : message);
        }
        return String.join(": ", messages);
    }
}
