package io.hrmstream.worker.testing;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * The fuzzer's records, drawn from one seeded {@link Random}: a quarter valid requests (the caller builds them), and
 * for the rest random bytes (half of them starting with the wire format's magic byte), a valid request's
 * Confluent-framed bytes with one to four bytes flipped (schema id included), or those bytes cut short or with bytes
 * appended. Used on the topology ({@code PoisonRecordFuzzTest}) and on a real cluster ({@code FaultSuiteTest}).
 */
public final class FuzzedRecords {

    /** What a drawn record is. */
    public enum Kind { VALID, RANDOM, FLIPPED, CUT_OR_APPENDED }

    /** A drawn record: for {@link Kind#VALID} no bytes (the caller sends a valid request of its own). */
    public record Fuzzed(Kind kind, byte[] value) {
    }

    private final Random rng;
    private final IntFunction<byte[]> template;

    /**
     * @param template the serialized bytes of a valid request, with an id of its own, for the i-th record
     */
    public FuzzedRecords(final long seed, final IntFunction<byte[]> template) {
        this.rng = new Random(seed);
        this.template = template;
    }

    /** The i-th record. */
    public Fuzzed next(final int i) {
        switch (rng.nextInt(4)) {
            case 0:
                return new Fuzzed(Kind.VALID, null);
            case 1: {
                final byte[] bytes = new byte[rng.nextInt(64)];
                rng.nextBytes(bytes);
                if (bytes.length > 0 && rng.nextBoolean()) bytes[0] = 0;
                return new Fuzzed(Kind.RANDOM, bytes);
            }
            case 2: {
                final byte[] bytes = template.apply(i);
                for (int f = 1 + rng.nextInt(4); f > 0; f--) {
                    bytes[1 + rng.nextInt(bytes.length - 1)] ^= (byte) (1 + rng.nextInt(255));
                }
                return new Fuzzed(Kind.FLIPPED, bytes);
            }
            default: {
                final byte[] bytes = template.apply(i);
                return new Fuzzed(Kind.CUT_OR_APPENDED, rng.nextBoolean()
                        ? Arrays.copyOf(bytes, rng.nextInt(bytes.length))
                        : Arrays.copyOf(bytes, bytes.length + 1 + rng.nextInt(8)));
            }
        }
    }
}
