package io.hrmstream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfluentWireFormatTest {

    @Test
    void encodeWritesMagicByteThenBigEndianSchemaIdThenPayload() {
        byte[] framed = new ConfluentWireFormat(0x01020304, new byte[] {(byte) 0xAA, 0x55}).encode();

        assertArrayEquals(new byte[] {0x00, 0x01, 0x02, 0x03, 0x04, (byte) 0xAA, 0x55}, framed);
    }

    @Test
    void decodeSplitsHeaderAndPayload() {
        ConfluentWireFormat frame = ConfluentWireFormat.decode(new byte[] {0x00, 0x00, 0x00, 0x01, 0x00, 0x7F});

        assertEquals(new ConfluentWireFormat(256, new byte[] {0x7F}), frame);
    }

    @Test
    void aHeaderWithAnEmptyPayloadIsWellFormed() {
        assertEquals(new ConfluentWireFormat(-1, new byte[0]),
                ConfluentWireFormat.decode(new byte[] {0x00, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
    }

    @Test
    void nullPayloadIsRejected() {
        SerializationException e = assertThrows(SerializationException.class, () -> ConfluentWireFormat.decode(null));
        assertEquals("payload is null; expected the Confluent wire format (magic byte 0x00, 4-byte schema id, Avro binary)",
                e.getMessage());
    }

    @Test
    void payloadShorterThanTheHeaderIsRejected() {
        SerializationException e = assertThrows(SerializationException.class,
                () -> ConfluentWireFormat.decode(new byte[] {0x00, 0x00, 0x01}));
        assertEquals("payload is 3 bytes, shorter than the 5-byte Confluent wire-format header "
                + "(magic byte 0x00, 4-byte schema id)", e.getMessage());
    }

    @Test
    void wrongMagicByteIsRejected() {
        byte[] json = "{\"id\":1}".getBytes();
        SerializationException e = assertThrows(SerializationException.class, () -> ConfluentWireFormat.decode(json));
        assertEquals("unknown magic byte 0x7b (expected 0x00): not the Confluent wire format", e.getMessage());
    }
}
