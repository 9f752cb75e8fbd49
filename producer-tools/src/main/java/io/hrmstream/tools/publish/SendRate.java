package io.hrmstream.tools.publish;

import java.time.Duration;
import java.util.Locale;

/**
 * A send rate: {@code permits} requests per {@code period}. Written {@code N/s}, {@code N/m} or a bare {@code N}
 * (per second); {@code 0} or {@code unlimited} means no limit.
 */
public record SendRate(long permits, Duration period) {

    public static final SendRate UNLIMITED = new SendRate(0, Duration.ofSeconds(1));

    public SendRate {
        if (permits < 0) {
            throw new IllegalArgumentException("a rate cannot be negative: " + permits);
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("a rate's period must be positive: " + period);
        }
    }

    public boolean unlimited() {
        return permits == 0;
    }

    public static SendRate parse(String text) {
        String spec = text.trim().toLowerCase(Locale.ROOT);
        if (spec.equals("unlimited")) {
            return UNLIMITED;
        }
        Duration period = Duration.ofSeconds(1);
        int slash = spec.indexOf('/');
        String count = spec;
        if (slash >= 0) {
            count = spec.substring(0, slash).trim();
            period = switch (spec.substring(slash + 1).trim()) {
                case "s", "sec", "second" -> Duration.ofSeconds(1);
                case "m", "min", "minute" -> Duration.ofMinutes(1);
                default -> throw new IllegalArgumentException("rate '" + text
                        + "': the unit after '/' must be s or m, e.g. 200/s or 600/m");
            };
        }
        try {
            return new SendRate(Long.parseLong(count), period);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rate '" + text
                    + "' is not a whole number of requests per second or minute, e.g. 200/s, 600/m or 0 for unlimited");
        }
    }

    @Override
    public String toString() {
        return unlimited() ? "unlimited" : permits + (period.equals(Duration.ofMinutes(1)) ? "/m" : "/s");
    }
}
