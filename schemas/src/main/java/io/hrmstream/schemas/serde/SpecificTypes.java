package io.hrmstream.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;

/** The generated record class a serde built by class name takes from its config ({@code specific.avro.*.type}). */
final class SpecificTypes {

    private SpecificTypes() {
    }

    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> Class<T> fromConfig(SerdeConfig config, boolean isKey) {
        String key = isKey ? SerdeConfig.SPECIFIC_AVRO_KEY_TYPE_CONFIG : SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG;
        Class<?> type = config.specificType(isKey).orElseThrow(() -> new ConfigException(key, null,
                "a serde built by class name needs the generated record class, e.g. "
                        + key + "=io.hrmstream.schemas.PuzzleRequest"));
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new ConfigException(key, type.getName(), "not a generated Avro class (SpecificRecord)");
        }
        return (Class<T>) type;
    }
}
