package io.streamingpipeline.contract;

/** A value read by column or field name for a record of the contract ({@link Trade#of}, {@link CandleRow#of}). */
final class ColumnValue {

    private ColumnValue() {}

    /**
     * The value as {@code T}, the type of the record's component. Called for every field of every record, so the
     * message is only put together when the value is refused.
     *
     * @param kind e.g. {@code "trade field"}, and {@code name} e.g. {@code "price"}, for the message
     * @throws IllegalArgumentException naming the field, when the value is null but may not be, or is not a {@code java}
     */
    @SuppressWarnings("unchecked")
    static <T> T checked(Object value, String kind, String name, boolean nullable, Class<?> java) {
        if (value == null && !nullable) {
            throw new IllegalArgumentException(kind + " " + name + " is null");
        }
        if (value != null && !java.isInstance(value)) {
            throw new IllegalArgumentException(kind + " " + name + " must be a " + java.getSimpleName() + ", was a "
                    + value.getClass().getSimpleName());
        }
        return (T) value;
    }
}
