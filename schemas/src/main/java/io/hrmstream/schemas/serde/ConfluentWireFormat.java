package io.hrmstream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One record value in Confluent's wire format:
 * <pre>
 *   byte 0      magic byte, 0x00
 *   bytes 1..4  schema id, int32 big-endian (the registry's global id of the writer schema)
 *   bytes 5..   the record, Avro binary encoding, written with that schema
 * </pre>
 *
 * @param schemaId the writer schema's registry id
 * @param avro     the Avro binary payload
 */
public record ConfluentWireFormat(int schemaId, byte[] avro) {

    public static final byte MAGIC_BYTE = 0x0;
    /** Magic byte plus the int32 schema id. */
    public static final int HEADER_LENGTH = 1 + Integer.BYTES;

    /** The framed bytes: header then payload. */
    public byte[] encode() {
        return ByteBuffer.allocate(HEADER_LENGTH + avro.length)
                .put(MAGIC_BYTE)
                .putInt(schemaId)
                .put(avro)
                .array();
    }

    /**
     * Splits framed bytes into schema id and payload.
     *
     * @throws SerializationException saying why the bytes are not in the wire format
     */
    public static ConfluentWireFormat decode(byte[] data) {
        if (data == null) {
            throw new SerializationException("payload is null; expected the Confluent wire format "
                    + "(magic byte 0x00, 4-byte schema id, Avro binary)");
        }
        if (data.length < HEADER_LENGTH) {
            throw new SerializationException("payload is " + data.length + " bytes, shorter than the "
                    + HEADER_LENGTH + "-byte Confluent wire-format header (magic byte 0x00, 4-byte schema id)");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new SerializationException("unknown magic byte 0x" + HexFormat.of().toHexDigits(data[0])
                    + " (expected 0x00): not the Confluent wire format");
        }
        int schemaId = ByteBuffer.wrap(data, 1, Integer.BYTES).getInt();
        return new ConfluentWireFormat(schemaId, Arrays.copyOfRange(data, HEADER_LENGTH, data.length));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConfluentWireFormat that && schemaId == that.schemaId && Arrays.equals(avro, that.avro);
    }

    @Override
    public int hashCode() {
        return 31 * schemaId + Arrays.hashCode(avro);
    }

    @Override
    public String toString() {
        return "ConfluentWireFormat[schemaId=" + schemaId + ", avro=" + avro.length + " bytes]";
    }
}
