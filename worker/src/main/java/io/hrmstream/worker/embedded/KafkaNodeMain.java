package io.hrmstream.worker.embedded;

import java.util.concurrent.TimeUnit;

/**
 * The main class of a {@link KafkaNodeProcesses} node: Kafka's own {@code kafka.Kafka server.properties}, plus one
 * thing Kafka does not do, tie the node's life to the process that started it. When that process ends, even by
 * SIGKILL (no shutdown hook of its own runs then), the node exits too (its shutdown hook stops the server), so a
 * killed {@code dev-cluster} or test JVM leaves no broker behind holding its ports and data directory.
 */
public final class KafkaNodeMain {

    /** After the parent is gone, the most a node waits for its own shutdown before it halts. */
    private static final long HALT_AFTER_SECONDS = 30;

    private KafkaNodeMain() {
    }

    public static void main(String[] args) {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            Thread halt = new Thread(() -> {
                try {
                    TimeUnit.SECONDS.sleep(HALT_AFTER_SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(1);
            }, "halt-if-stuck");
            halt.setDaemon(true);
            halt.start();
            System.exit(0);
        }));
        kafka.Kafka.main(args);
    }
}
