package io.hrmstream.worker.embedded.registry;

import io.hrmstream.worker.embedded.registry.SchemaLog.ConfigEntry;
import io.hrmstream.worker.embedded.registry.SchemaLog.Entry;
import io.hrmstream.worker.embedded.registry.SchemaLog.SchemaEntry;
import org.apache.avro.Schema;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Subjects, their versions, schema ids and compatibility levels, with Schema Registry's rules: one global id per
 * distinct schema (shared by every subject that registers it), versions 1, 2, ... per subject, registering a schema
 * the subject already has returns its id again, and a new version must pass the subject's compatibility level
 * (BACKWARD unless configured).
 *
 * <p>Every change goes to the {@link SchemaLog} first and into memory only once it is stored, so a failed write
 * changes nothing. All methods are synchronized: the registry's traffic is a handful of calls at client start-up.
 */
final class SchemaStore {

    static final int LATEST = -1;
    static final CompatibilityLevel DEFAULT_LEVEL = CompatibilityLevel.BACKWARD;

    /** One version of one subject. */
    record RegisteredSchema(String subject, int version, int id, String schema) {
    }

    private final SchemaLog log;
    private final NavigableMap<String, NavigableMap<Integer, RegisteredSchema>> subjects = new TreeMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = DEFAULT_LEVEL;
    private int maxId;

    /** Restores the state {@code log} holds. */
    SchemaStore(SchemaLog log) {
        this.log = log;
        log.replay(this::apply);
    }

    /** Parses an Avro schema and returns its canonical text (Avro's own JSON rendering), or a 42201 error. */
    static Schema parse(String text) {
        if (text == null || text.isBlank()) {
            throw RegistryException.invalidSchema("empty schema");
        }
        try {
            return new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            throw RegistryException.invalidSchema(e.getMessage());
        }
    }

    /** The subject's version holding {@code schema}, registering it as a new version when the subject lacks it. */
    synchronized RegisteredSchema register(String subject, Schema schema) {
        String canonical = schema.toString();
        Optional<RegisteredSchema> existing = find(subject, canonical);
        if (existing.isPresent()) {
            return existing.get();
        }
        NavigableMap<Integer, RegisteredSchema> versions = subjects.getOrDefault(subject, new TreeMap<>());
        List<String> problems = level(subject).incompatibilities(schema, parsedVersions(versions));
        if (!problems.isEmpty()) {
            throw RegistryException.incompatible(subject, problems);
        }
        int id = idsBySchema.getOrDefault(canonical, maxId + 1);
        int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        SchemaEntry entry = new SchemaEntry(subject, version, id, canonical);
        log.append(entry);
        apply(entry);
        return subjects.get(subject).get(version);
    }

    /** The version of {@code subject} that holds {@code schema}: 40401 without the subject, 40403 without the schema. */
    synchronized RegisteredSchema lookup(String subject, Schema schema) {
        requireSubject(subject);
        return find(subject, schema.toString()).orElseThrow(() -> RegistryException.schemaNotFound("Schema"));
    }

    synchronized String schemaById(int id) {
        String schema = schemasById.get(id);
        if (schema == null) {
            throw RegistryException.schemaNotFound("Schema " + id);
        }
        return schema;
    }

    /**
     * The versions of the subjects whose names start with {@code subjectPrefix} (every subject for ""), by subject
     * then version; with {@code latestOnly} only each subject's latest version.
     */
    synchronized List<RegisteredSchema> schemas(String subjectPrefix, boolean latestOnly) {
        return subjects.entrySet().stream()
                .filter(subject -> subject.getKey().startsWith(subjectPrefix))
                .flatMap(subject -> latestOnly
                        ? Stream.of(subject.getValue().lastEntry().getValue())
                        : subject.getValue().values().stream())
                .toList();
    }

    /** The subject versions that hold schema {@code id}, by subject then version; 40403 for an id no version holds. */
    synchronized List<RegisteredSchema> versionsOf(int id) {
        List<RegisteredSchema> holders = schemas("", false).stream().filter(registered -> registered.id() == id).toList();
        if (holders.isEmpty()) {
            throw RegistryException.schemaNotFound("Schema " + id);
        }
        return holders;
    }

    synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    synchronized List<Integer> versions(String subject) {
        return List.copyOf(requireSubject(subject).keySet());
    }

    /** {@code version} of {@code subject}, or its latest for {@link #LATEST}. */
    synchronized RegisteredSchema version(String subject, int version) {
        NavigableMap<Integer, RegisteredSchema> versions = requireSubject(subject);
        RegisteredSchema found = version == LATEST ? versions.lastEntry().getValue() : versions.get(version);
        if (found == null) {
            throw RegistryException.versionNotFound(version);
        }
        return found;
    }

    /**
     * Why {@code schema} could not be registered after {@code version} of {@code subject} (for {@link #LATEST}: after
     * the versions the subject's level compares with); empty when it could.
     */
    synchronized List<String> incompatibilities(String subject, int version, Schema schema) {
        NavigableMap<Integer, RegisteredSchema> versions = requireSubject(subject);
        if (version == LATEST) {
            return level(subject).incompatibilities(schema, parsedVersions(versions));
        }
        RegisteredSchema against = versions.get(version);
        if (against == null) {
            throw RegistryException.versionNotFound(version);
        }
        return level(subject).incompatibilities(schema, List.of(parse(against.schema())));
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** Sets the level of {@code subject}, or the global one when {@code subject} is null. */
    synchronized void setLevel(String subject, CompatibilityLevel level) {
        ConfigEntry entry = new ConfigEntry(subject, level);
        log.append(entry);
        apply(entry);
    }

    private CompatibilityLevel level(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private Optional<RegisteredSchema> find(String subject, String canonical) {
        return subjects.getOrDefault(subject, new TreeMap<>()).values().stream()
                .filter(registered -> registered.schema().equals(canonical))
                .findFirst();
    }

    private NavigableMap<Integer, RegisteredSchema> requireSubject(String subject) {
        NavigableMap<Integer, RegisteredSchema> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions;
    }

    private static List<Schema> parsedVersions(NavigableMap<Integer, RegisteredSchema> versions) {
        return versions.values().stream().map(registered -> parse(registered.schema())).toList();
    }

    private void apply(Entry entry) {
        if (entry instanceof SchemaEntry schema) {
            subjects.computeIfAbsent(schema.subject(), s -> new TreeMap<>())
                    .put(schema.version(), new RegisteredSchema(schema.subject(), schema.version(), schema.id(), schema.schema()));
            schemasById.putIfAbsent(schema.id(), schema.schema());
            idsBySchema.putIfAbsent(schema.schema(), schema.id());
            maxId = Math.max(maxId, schema.id());
        } else if (entry instanceof ConfigEntry config) {
            if (config.subject() == null) {
                globalLevel = config.level();
            } else {
                subjectLevels.put(config.subject(), config.level());
            }
        }
    }
}
