package io.streamingpipeline.contract;

/** A value read by column or field name for a record of the contract ({@link Trade#of}, {@link CandleRow#of}). */
final class ColumnValue {

    private ColumnValue() {}

    /**
     * The value as {@code T}, the type of the record's component.
     *
     * @param what e.g. {@code "trade field price"}, for the message
     * @throws IllegalArgumentException naming {@code what}, when the value is null but may not be, or is not a {@code java}
     */
    @SuppressWarnings("unchecked")
    static <T> T checked(Object value, String what, boolean nullable, Class<?> java) {
        if (value == null && !nullable) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (value != null && !java.isInstance(value)) {
            throw new IllegalArgumentException(what + " must be a " + java.getSimpleName() + ", was a "
                    + value.getClass().getSimpleName());
        }
        return (T) value;
    }
}
