package io.hrmstream.worker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hrmstream.schemas.Topics;
import io.hrmstream.worker.cli.EmbeddedStackOptions;
import io.hrmstream.worker.cli.ModelOptions;
import io.hrmstream.worker.cli.RunCommand;
import io.hrmstream.worker.embedded.TopicSetup;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps {@code deploy/} from rotting where no Docker daemon, helm or kubeconform can check it: every YAML parses,
 * the chart's templates parse once their {@code {{ }}} actions are blanked out, and the fields that must agree
 * with the worker do (image build output, health paths and port, environment variables the CLI reads, GPU
 * resource key, KEDA trigger on the lag of hrm.requests with at most one worker per partition).
 */
class DeployFilesTest {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Path CHART = DEPLOY.resolve("helm/hrm-worker");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Variables the image or the JVM read, not the CLI. */
    private static final Set<String> IMAGE_ENV = Set.of("JAVA_OPTS", "OMP_WAIT_POLICY");

    @Test
    void theImagesBuildBothJarsAndRunTheWorkerAsANonRootUserWithContainerJvmFlags() throws IOException {
        for (final String name : List.of("Dockerfile", "Dockerfile.cuda")) {
            final DockerfileInstructions image = DockerfileInstructions.read(DEPLOY.resolve(name));
            final List<String> bases = image.all("FROM");
            assertEquals("maven:3-eclipse-temurin-17 AS build", bases.get(0), name + ": builds with Maven");
            assertEquals("eclipse-temurin:17-jre", bases.get(bases.size() - 1), name + ": runs on the JRE");
            final String copies = String.join("\n", image.inFinalStage("COPY"));
            assertTrue(copies.contains("--from=build /src/worker/target/hrm-worker.jar"), name);
            assertTrue(copies.contains("/src/producer-tools/target/hrm-tools.jar"), name);

            final List<String> users = image.inFinalStage("USER");
            assertEquals(1, users.size(), name + ": one USER in the running image");
            assertFalse(users.get(0).startsWith("0") || users.get(0).startsWith("root"), name + ": " + users);

            final Map<String, String> env = image.finalEnvironment();
            assertEquals("PASSIVE", env.get("OMP_WAIT_POLICY"), name);
            assertEquals("8080", env.get("HRM_METRICS_PORT"), name);
            for (final String flag : List.of("-XX:MaxRAMPercentage=", "-Dai.djl.offline=true")) {
                assertTrue(env.getOrDefault("JAVA_OPTS", "").contains(flag), name + ": JAVA_OPTS lacks " + flag);
            }
            assertEquals(List.of("8080"), image.inFinalStage("EXPOSE"), name);
            assertTrue(image.inFinalStage("HEALTHCHECK").get(0).contains("/health/live"), name);
            final List<String> entrypoint = image.inFinalStage("ENTRYPOINT");
            assertEquals(1, entrypoint.size(), name);
            final JsonNode exec = YAML.readTree(entrypoint.get(0));   // exec form: a JSON array
            assertTrue(exec.isArray() && exec.toString().contains("exec java $JAVA_OPTS -jar /opt/hrm/hrm-worker.jar"),
                    name + ": java is PID 1 and gets SIGTERM: " + exec);
        }
        final DockerfileInstructions cuda = DockerfileInstructions.read(DEPLOY.resolve("Dockerfile.cuda"));
        final String libtorchUrl = cuda.all("ARG").stream().filter(a -> a.startsWith("LIBTORCH_URL=")).findFirst()
                .orElseThrow();
        assertTrue(libtorchUrl.contains("https://download.pytorch.org/libtorch/cu128/"), libtorchUrl);
        assertTrue(libtorchUrl.contains("2.7.1%2Bcu128.zip"), libtorchUrl);
        final Map<String, String> env = cuda.finalEnvironment();
        assertEquals("/opt/libtorch/lib", env.get("PYTORCH_LIBRARY_PATH"));
        assertEquals("2.7.1", env.get("PYTORCH_VERSION"));
        assertEquals("cu128", env.get("PYTORCH_FLAVOR"));
        assertEquals("gpu", env.get("HRM_DEVICE"), "the CUDA image serves on the GPU by default");
        assertEquals(null, DockerfileInstructions.read(DEPLOY.resolve("Dockerfile")).finalEnvironment().get("HRM_DEVICE"));
        final String deployment = Files.readString(CHART.resolve("templates/deployment.yaml"));
        assertTrue(deployment.matches("(?s).*if \\.Values\\.gpu\\.enabled \\}\\}\\s*\n(\\s*#[^\n]*\n)?\\s*- name: HRM_DEVICE\\s*\n\\s*value: gpu.*"),
                "gpu.enabled sets HRM_DEVICE=gpu");
    }

    @Test
    void composeRunsKraftKafkaTheConfluentRegistryScalableWorkersAndADemoProducer() throws IOException {
        final JsonNode services = YAML.readTree(DEPLOY.resolve("compose.yaml").toFile()).get("services");
        final String kafkaImage = services.get("kafka").get("image").asText();
        assertTrue(kafkaImage.matches("apache/kafka:[4-9]\\..*"), kafkaImage);
        assertEquals("broker,controller", services.get("kafka").get("environment").get("KAFKA_PROCESS_ROLES").asText());
        assertTrue(services.get("schema-registry").get("image").asText().startsWith("confluentinc/cp-schema-registry:"));
        assertTrue(services.get("topics").get("command").get(0).asText().contains("--partitions " + TopicSetup.DEFAULT_PARTITIONS));

        final JsonNode worker = services.get("worker");
        assertEquals("deploy/Dockerfile", worker.get("build").get("dockerfile").asText());
        assertEquals("${HRM_WORKERS:-2}", worker.get("deploy").get("replicas").asText());
        assertEquals("run", worker.get("command").get(0).asText());
        final Set<String> cliEnv = cliEnvironment();
        worker.get("environment").fieldNames().forEachRemaining(name ->
                assertTrue(cliEnv.contains(name), name + " is not read by the worker (" + cliEnv + ")"));

        final JsonNode producer = services.get("producer");
        assertEquals("deploy/Dockerfile", producer.get("build").get("dockerfile").asText(), "the same image");
        assertEquals("hrm-tools", producer.get("entrypoint").get(0).asText());
        final List<String> publish = YAML.convertValue(producer.get("command"), List.class);
        assertEquals("publish", publish.get(0));
        assertTrue(publish.contains("--generate") && publish.contains("--rate"), publish.toString());
        // the shipped sudoku model's domain (its MODEL.md): the demo's answers are ones it can give
        assertEquals("57-78", publish.get(publish.indexOf("--givens") + 1), publish.toString());
    }

    @Test
    void theChartsStaticMembershipUsesThePodNameAndLeavesOnSigterm() throws IOException {
        final String deployment = Files.readString(CHART.resolve("templates/deployment.yaml"));
        assertTrue(deployment.matches("(?s).*- name: HRM_WORKER_ID\\s*\n\\s*valueFrom:\\s*\n\\s*fieldRef:\\s*\n"
                + "\\s*fieldPath: metadata\\.name.*"), "the worker id, and so group.instance.id, is the pod name");
        assertTrue(deployment.matches("(?s).*if \\.Values\\.worker\\.staticMembership \\}\\}\\s*\n(\\s*#[^\n]*\n)?"
                + "\\s*- name: HRM_STATIC_MEMBERSHIP\\s*\n\\s*value: \"true\"\\s*\n"
                + "\\s*- name: HRM_LEAVE_ON_SHUTDOWN\\s*\n\\s*value: \"true\".*"), deployment);
        final JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
        assertFalse(values.get("worker").get("staticMembership").asBoolean(), "opt-in");
        final Set<String> cliEnv = cliEnvironment();
        assertTrue(cliEnv.contains("HRM_STATIC_MEMBERSHIP") && cliEnv.contains("HRM_LEAVE_ON_SHUTDOWN"), cliEnv.toString());
    }

    @Test
    void theChartsValuesMatchTheWorkersEndpointsAndTopics() throws IOException {
        final JsonNode chart = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
        assertEquals("v2", chart.get("apiVersion").asText());
        assertEquals("hrm-worker", chart.get("name").asText());
        final JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
        assertEquals("/health/live", values.at("/probes/liveness/path").asText());
        assertEquals("/health/ready", values.at("/probes/readiness/path").asText());
        assertEquals(8080, values.at("/worker/metricsPort").asInt());
        assertEquals(TopicSetup.DEFAULT_PARTITIONS, values.at("/kafka/requestPartitions").asInt());
        assertEquals("exactly_once_v2", values.at("/kafka/processingGuarantee").asText());
        assertTrue(values.at("/worker/terminationGracePeriodSeconds").asInt() > 60, "more than the 60 s close bound");
        assertTrue(values.at("/podSecurityContext/runAsNonRoot").asBoolean());
    }

    @Test
    void everyChartTemplateIsYamlOnceItsActionsAreBlankedAndWiresTheValuesThatMatter() throws IOException {
        final Set<String> kinds = new HashSet<>();
        try (Stream<Path> templates = Files.list(CHART.resolve("templates"))) {
            for (final Path template : templates.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                final JsonNode manifest = YAML.readTree(blankActions(Files.readString(template)));
                assertTrue(manifest.hasNonNull("apiVersion") && manifest.hasNonNull("kind"), template.toString());
                kinds.add(manifest.get("kind").asText());
            }
        }
        assertEquals(Set.of("Deployment", "Service", "ConfigMap", "PodDisruptionBudget", "ServiceMonitor",
                "ScaledObject"), kinds);

        final String deploymentText = Files.readString(CHART.resolve("templates/deployment.yaml"));
        final JsonNode container = YAML.readTree(blankActions(deploymentText)).at("/spec/template/spec/containers/0");
        assertEquals("metrics", container.at("/ports/0/name").asText());
        for (final String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertEquals("metrics", container.at("/" + probe + "/httpGet/port").asText(), probe);
        }
        assertTrue(deploymentText.contains("path: {{ .Values.probes.liveness.path }}"));
        assertTrue(deploymentText.contains("path: {{ .Values.probes.readiness.path }}"));
        assertTrue(deploymentText.contains("containerPort: {{ .Values.worker.metricsPort }}"));
        assertTrue(deploymentText.contains("\"nvidia.com/gpu\" .Values.gpu.count"));
        assertTrue(deploymentText.contains("image: \"{{ .Values.image.repository }}:"));
        final Set<String> cliEnv = cliEnvironment();
        container.get("env").forEach(env -> assertTrue(cliEnv.contains(env.get("name").asText())
                || IMAGE_ENV.contains(env.get("name").asText()), env.toString()));

        final String scaledObject = Files.readString(CHART.resolve("templates/scaledobject.yaml"));
        final JsonNode trigger = YAML.readTree(blankActions(scaledObject)).at("/spec/triggers/0");
        assertEquals("kafka", trigger.get("type").asText());
        assertEquals(Topics.REQUESTS, trigger.at("/metadata/topic").asText());
        assertTrue(scaledObject.contains("consumerGroup: {{ .Values.kafka.applicationId | quote }}"));
        assertTrue(scaledObject.contains("maxReplicaCount: {{ .Values.kafka.requestPartitions }}"));
        assertTrue(Files.readString(CHART.resolve("templates/servicemonitor.yaml")).contains("path: /metrics"));
    }

    /** Lines holding only an action are dropped; inline actions become a plain scalar. */
    private static String blankActions(final String template) {
        final StringBuilder yaml = new StringBuilder();
        for (final String line : template.split("\n")) {
            if (line.strip().startsWith("{{") && line.strip().endsWith("}}")) {
                continue;
            }
            yaml.append(line.replaceAll("\\{\\{.*?}}", "x")).append('\n');
        }
        return yaml.toString();
    }

    /** The environment variables that {@code run}'s options read ({@code ${env:NAME...}} defaults). */
    private static Set<String> cliEnvironment() {
        final Set<String> names = new HashSet<>();
        final Pattern env = Pattern.compile("\\$\\{env:([A-Z_]+)");
        // run's own options and those of its mixins (the model options moved to one)
        for (final Field field : Stream.of(RunCommand.class, ModelOptions.class, EmbeddedStackOptions.class)
                .flatMap(type -> Stream.of(type.getDeclaredFields())).toList()) {
            final Option option = field.getAnnotation(Option.class);
            if (option != null) {
                final Matcher m = env.matcher(option.defaultValue());
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }
}
