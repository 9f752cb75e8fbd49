package io.hrmstream.worker.embedded.registry;

import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A development schema registry: the REST subset of Confluent Schema Registry that Kafka clients use (see
 * {@link RegistryApi}), Avro only, with its state in the compacted topic {@code _schemas} of the Kafka cluster it
 * is given, so subjects, versions, ids and compatibility levels survive a restart.
 *
 * <p>For development and tests only. In production point {@code schema.registry.url} at Confluent Schema Registry,
 * Redpanda, Apicurio (ccompat API) or Karapace.
 */
public final class DevSchemaRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DevSchemaRegistry.class);

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8081;
    /** Enough for several clients at once; each call is short. */
    private static final int HTTP_THREADS = 4;

    private final SchemaLog log;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String url;

    private DevSchemaRegistry(SchemaLog log, HttpServer server, ExecutorService executor) {
        this.log = log;
        this.server = server;
        this.executor = executor;
        InetSocketAddress address = server.getAddress();
        this.url = "http://" + address.getHostString() + ":" + address.getPort();
    }

    /**
     * Reads {@code _schemas} from the cluster at {@code bootstrapServers} (creating the topic if needed) and serves
     * on {@code host:port}; port 0 picks a free one.
     */
    public static DevSchemaRegistry start(String bootstrapServers, String host, int port) {
        long startedAt = System.nanoTime();
        SchemaLog log = SchemaLog.open(bootstrapServers);
        ExecutorService executor = null;
        try {
            SchemaStore store = new SchemaStore(log);
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            executor = Executors.newFixedThreadPool(HTTP_THREADS, new NamedDaemonThreads());
            server.setExecutor(executor);
            server.createContext("/", new RegistryApi(store));
            server.start();
            DevSchemaRegistry registry = new DevSchemaRegistry(log, server, executor);
            LOG.info("Schema registry ready on {} ({} subjects, state in topic {}) after {} ms", registry.url,
                    store.subjects().size(), SchemaLog.TOPIC, (System.nanoTime() - startedAt) / 1_000_000);
            return registry;
        } catch (IOException e) {
            log.close();
            if (executor != null) {
                executor.shutdownNow();
            }
            throw new UncheckedIOException("cannot serve the schema registry on " + host + ":" + port, e);
        } catch (RuntimeException e) {
            log.close();
            if (executor != null) {
                executor.shutdownNow();
            }
            throw e;
        }
    }

    /** {@code http://host:port}, the value for {@code schema.registry.url}. */
    public String url() {
        return url;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving (calls in progress get a second to finish), then closes the log's producer. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
        log.close();
        LOG.info("Schema registry on {} stopped", url);
    }

    private static final class NamedDaemonThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "schema-registry-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
