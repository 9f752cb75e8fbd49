package io.hrmstream.tools.cli;

import io.hrmstream.tools.publish.SendRate;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --rate 200/s}, {@code 600/m}, {@code 0} for unlimited. */
public final class SendRateConverter implements ITypeConverter<SendRate> {

    @Override
    public SendRate convert(String value) {
        try {
            return SendRate.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
