package io.streamingpipeline.query.domain;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A half-open time range {@code [from, to)} in UNIX milliseconds, and the UTC day partitions ({@code yyyy-MM-dd}) it
 * touches: a query reads only those.
 */
public record TimeRange(long from, long to) {

    /** Earliest time accepted (2000-01-01): older values are typos, and they would make a day list long. */
    static final long EARLIEST = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    /** Latest time accepted (2100-01-01). */
    static final long LATEST = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    /**
     * The range of {@code from}/{@code to} query parameters: each absent, UNIX milliseconds, an ISO-8601 instant
     * ({@code 2025-01-31T12:00:00Z}, an offset is allowed) or a UTC date ({@code 2025-01-31} = its midnight).
     * {@code to} defaults to now, {@code from} to {@code to - defaultRange}. Reversed, empty or wider than
     * {@code maxRange} ranges are refused.
     */
    public static TimeRange parse(
            String fromText, String toText, Duration defaultRange, Duration maxRange, Instant now) {
        Long from = fromText == null || fromText.isBlank() ? null : instant("from", fromText);
        Long to = toText == null || toText.isBlank() ? null : instant("to", toText);
        long end = to != null ? to : now.toEpochMilli();
        long start = from != null ? from : end - defaultRange.toMillis();
        if (to == null && from != null && start >= end) {
            throw new InvalidRequestException(
                    "from",
                    "from (" + Instant.ofEpochMilli(start) + ") is in the future; give to as well, or an earlier from");
        }
        if (start >= end) {
            throw new InvalidRequestException(
                    "from",
                    "from (" + Instant.ofEpochMilli(start) + ") must be before to (" + Instant.ofEpochMilli(end)
                            + "): the range is [from, to)");
        }
        if (end - start > maxRange.toMillis()) {
            throw new InvalidRequestException(
                    "to",
                    "the range from " + Instant.ofEpochMilli(start) + " to "
                            + Instant.ofEpochMilli(end) + " is " + describe(Duration.ofMillis(end - start))
                            + " wide; at most " + describe(maxRange) + " is allowed: narrow it");
        }
        return new TimeRange(start, end);
    }

    /** UTC days (yyyy-MM-dd) from the newest ({@code to - 1 ms}) down to the oldest ({@code from}). */
    public List<String> daysNewestFirst() {
        List<String> days = new ArrayList<>();
        for (long day = Math.floorDiv(to - 1, DAY_MILLIS); day >= Math.floorDiv(from, DAY_MILLIS); day--) {
            days.add(LocalDate.ofEpochDay(day).toString());
        }
        return days;
    }

    /** UTC days (yyyy-MM-dd) from the oldest to the newest. */
    public List<String> daysOldestFirst() {
        List<String> days = daysNewestFirst();
        java.util.Collections.reverse(days);
        return days;
    }

    /** The UTC day (yyyy-MM-dd) of a UNIX millisecond time, as the tables' {@code day} column. */
    public static String day(long unixMillis) {
        return LocalDate.ofEpochDay(Math.floorDiv(unixMillis, DAY_MILLIS)).toString();
    }

    /** Start (UNIX ms) of a UTC day given as yyyy-MM-dd. */
    public static long dayStart(String day) {
        return LocalDate.parse(day).toEpochDay() * DAY_MILLIS;
    }

    private static final Pattern EPOCH_MILLIS = Pattern.compile("\\d{1,15}");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    static long instant(String parameter, String text) {
        String value = text.strip();
        long millis;
        try {
            if (EPOCH_MILLIS.matcher(value).matches()) {
                millis = Long.parseLong(value);
            } else if (DAY.matcher(value).matches()) {
                millis = LocalDate.parse(value)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .toEpochMilli();
            } else {
                millis = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        .toInstant()
                        .toEpochMilli();
            }
        } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
            throw new InvalidRequestException(
                    parameter,
                    parameter + " '" + shorten(value) + "' is not a time: use "
                            + "an ISO-8601 instant such as 2025-01-31T12:00:00Z, a UTC date such as 2025-01-31, or UNIX "
                            + "milliseconds such as 1738324800000");
        }
        if (millis < EARLIEST || millis >= LATEST) {
            throw new InvalidRequestException(
                    parameter,
                    parameter + " " + Instant.ofEpochMilli(millis)
                            + " is outside 2000-01-01 .. 2100-01-01 (UNIX milliseconds expected, not seconds?)");
        }
        return millis;
    }

    static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    private static String describe(Duration d) {
        if (d.toMillis() % Duration.ofDays(1).toMillis() == 0) {
            return d.toDays() + " days";
        }
        if (d.toMillis() % Duration.ofHours(1).toMillis() == 0) {
            return d.toHours() + " hours";
        }
        return d.toSeconds() + " s";
    }
}
