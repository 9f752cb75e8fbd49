package io.hrmstream.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@link SpecificData} a reader of one generated record class needs: the class's logical-type
 * conversions, and its named types (the record and every record, enum and fixed it contains) mapped to
 * their generated classes.
 *
 * <p>Avro 1.12 refuses to load a class by schema name unless its package is listed in the
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} system property (a guard against schemas that name
 * arbitrary classes). Here the names come only from the reader class's own schema, whose classes are
 * already loaded, so they are resolved directly; any other name still goes through Avro's guard.
 */
final class GeneratedClassModel extends SpecificData {

    private final Map<String, Class<?>> generatedClasses = new HashMap<>();

    GeneratedClassModel(Class<? extends SpecificRecord> type) {
        super(type.getClassLoader());
        SpecificData classModel = SpecificData.getForClass(type);
        classModel.getConversions().forEach(this::addLogicalTypeConversion);
        collect(classModel.getSchema(type), type.getClassLoader());
    }

    private void collect(Schema schema, ClassLoader loader) {
        switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> {
                if (generatedClasses.containsKey(schema.getFullName())) return;
                generatedClasses.put(schema.getFullName(), load(SpecificData.getClassName(schema), loader));
                if (schema.getType() == Schema.Type.RECORD) {
                    schema.getFields().forEach(field -> collect(field.schema(), loader));
                }
            }
            case UNION -> schema.getTypes().forEach(branch -> collect(branch, loader));
            case ARRAY -> collect(schema.getElementType(), loader);
            case MAP -> collect(schema.getValueType(), loader);
            default -> { }
        }
    }

    private static Class<?> load(String className, ClassLoader loader) {
        try {
            return Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("generated class " + className + " is missing", e);
        }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class getClass(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> {
                Class<?> generated = generatedClasses.get(schema.getFullName());
                yield generated != null ? generated : super.getClass(schema);
            }
            default -> super.getClass(schema);
        };
    }
}
