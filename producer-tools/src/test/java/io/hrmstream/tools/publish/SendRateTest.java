package io.hrmstream.tools.publish;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendRateTest {

    @Test
    void readsPerSecondPerMinuteAndBareNumbers() {
        assertEquals(new SendRate(200, Duration.ofSeconds(1)), SendRate.parse("200/s"));
        assertEquals(new SendRate(600, Duration.ofMinutes(1)), SendRate.parse("600/m"));
        assertEquals(new SendRate(50, Duration.ofSeconds(1)), SendRate.parse(" 50 "));
    }

    @Test
    void zeroAndUnlimitedMeanNoLimit() {
        assertTrue(SendRate.parse("0").unlimited());
        assertTrue(SendRate.parse("unlimited").unlimited());
    }

    @Test
    void malformedRatesNameTheTextAndTheExpectedForm() {
        IllegalArgumentException unit = assertThrows(IllegalArgumentException.class, () -> SendRate.parse("5/h"));
        assertTrue(unit.getMessage().contains("'5/h'") && unit.getMessage().contains("200/s"), unit.getMessage());
        IllegalArgumentException number = assertThrows(IllegalArgumentException.class,
                () -> SendRate.parse("fast/s"));
        assertTrue(number.getMessage().contains("'fast/s'"), number.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SendRate.parse("-3/s"));
    }
}
