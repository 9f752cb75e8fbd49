package io.hrmstream.schemas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Schema evolution rule of the wire contract: every current schema is BACKWARD compatible with the
 * schemas as first released, i.e. a consumer on the current schemas reads every record written with
 * the released ones (Avro's reader/writer resolution).
 */
class SchemaEvolutionTest {

    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path RELEASED_V1 = Path.of("src/test/resources/released/v1");
    private static final List<String> RECORDS = List.of("PuzzleRequest", "PuzzleSolution");

    /** Parses Grid first: the records refer to it by name. */
    private static Map<String, Schema> load(Path dir) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        Schema grid = parser.parse(dir.resolve("Grid.avsc").toFile());
        return Map.of("Grid", grid,
                "PuzzleRequest", parser.parse(dir.resolve("PuzzleRequest.avsc").toFile()),
                "PuzzleSolution", parser.parse(dir.resolve("PuzzleSolution.avsc").toFile()));
    }

    private static SchemaCompatibilityType backward(Schema current, Schema released) {
        return SchemaCompatibility.checkReaderWriterCompatibility(current, released).getType();
    }

    @Test
    void currentSchemasReadEveryRecordWrittenWithTheFirstReleasedSchemas() throws IOException {
        Map<String, Schema> current = load(CURRENT);
        Map<String, Schema> released = load(RELEASED_V1);

        for (String name : List.of("Grid", "PuzzleRequest", "PuzzleSolution")) {
            assertEquals(SchemaCompatibilityType.COMPATIBLE, backward(current.get(name), released.get(name)),
                    name + ": " + SchemaCompatibility.checkReaderWriterCompatibility(current.get(name), released.get(name))
                            .getDescription());
        }
    }

    @Test
    void theGeneratedClassesAreBuiltFromTheCurrentSchemaFiles() throws IOException {
        Map<String, Schema> current = load(CURRENT);

        assertEquals(SchemaCompatibilityType.COMPATIBLE, backward(PuzzleRequest.getClassSchema(), current.get("PuzzleRequest")));
        assertEquals(current.get("PuzzleRequest").getFields().size(), PuzzleRequest.getClassSchema().getFields().size());
        assertEquals(current.get("PuzzleSolution").getFields().size(), PuzzleSolution.getClassSchema().getFields().size());
    }

    @Test
    void aFieldAddedWithoutADefaultBreaksBackwardCompatibility() throws IOException {
        Map<String, Schema> released = load(RELEASED_V1);
        for (String name : RECORDS) {
            Schema evolved = withField(released.get(name), "{\"name\": \"priority\", \"type\": \"int\"}");
            assertEquals(SchemaCompatibilityType.INCOMPATIBLE, backward(evolved, released.get(name)), name);
        }
    }

    @Test
    void aFieldAddedWithADefaultKeepsBackwardCompatibility() throws IOException {
        Map<String, Schema> released = load(RELEASED_V1);
        for (String name : RECORDS) {
            Schema evolved = withField(released.get(name), "{\"name\": \"priority\", \"type\": \"int\", \"default\": 0}");
            assertEquals(SchemaCompatibilityType.COMPATIBLE, backward(evolved, released.get(name)), name);
        }
    }

    private static Schema withField(Schema schema, String fieldJson) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode tree = (ObjectNode) json.readTree(schema.toString());
        ((ArrayNode) tree.get("fields")).add(json.readTree(fieldJson));
        return new Schema.Parser().parse(tree.toString());
    }
}
