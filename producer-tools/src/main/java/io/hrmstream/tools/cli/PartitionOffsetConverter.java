package io.hrmstream.tools.cli;

import io.hrmstream.tools.dlq.PartitionOffset;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --offsets 0@42,1@7}: each item {@code PARTITION@OFFSET}. */
public final class PartitionOffsetConverter implements ITypeConverter<PartitionOffset> {

    @Override
    public PartitionOffset convert(String value) {
        try {
            return PartitionOffset.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
