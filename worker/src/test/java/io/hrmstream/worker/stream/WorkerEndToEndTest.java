package io.hrmstream.worker.stream;

import io.hrmstream.worker.embedded.EmbeddedStack;
import io.hrmstream.worker.embedded.EmbeddedStackConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The end-to-end scenario on the embedded KRaft broker and development schema registry. */
@Tag("slow")   // starts brokers or child JVMs: the slow lane
class WorkerEndToEndTest {

    @TempDir
    Path dataDir;

    @Test
    void everyPublishedRequestIsAnsweredOnceAndAnUndecodableOneIsDeadLettered() throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start(EmbeddedStackConfig.ephemeral(dataDir.resolve("kafka"))
                .withPartitions(3))) {
            EndToEndScenario.run(stack.bootstrapServers(), stack.registryUrl(), dataDir.resolve("streams"));
        }
    }
}
