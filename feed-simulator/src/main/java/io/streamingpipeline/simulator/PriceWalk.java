package io.streamingpipeline.simulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The trades of one symbol on one connection: a mean-reverting random walk of the price, random volumes and
 * trade conditions, and now and then an exact repeat of the previous trade (the real feed has no trade id).
 * <p>
 * Everything but the timestamps is a pure function of (seed, symbol, connection ordinal): the order in which
 * symbols are subscribed or interleaved into frames does not change any symbol's own sequence.
 */
final class PriceWalk {

    /** Condition lists that the walk picks from, as pre-rendered JSON. */
    private static final List<List<String>> CONDITION_SETS =
            List.of(List.of("1"), List.of("1", "12"), List.of("12"), List.of("0", "8"), List.of("2", "37"));

    private static final String[] CONDITION_SETS_JSON = CONDITION_SETS.stream()
            .map(set -> ",\"c\":[\"" + String.join("\",\"", set) + "\"]")
            .toArray(String[]::new);
    private static final int CONDITIONS_NULL = -1;
    private static final int CONDITIONS_ABSENT = -2;

    private static final double STEP_FRACTION = 0.00005;
    private static final double MEAN_REVERSION = 0.0001;
    private static final double ZERO_VOLUME_PROBABILITY = 0.01;

    private final String symbol;
    private final String quotedSymbol;
    private final SplittableRandom random;
    private final double duplicateProbability;
    private final int priceScale;
    private final long basePriceUnits;
    private final double stepUnits;
    private final int volumeScale;
    private final long maxVolumeUnits;

    private long priceUnits;
    private boolean hasPrevious;
    private long previousTimestamp;
    private long previousVolumeUnits;
    private int previousConditions;

    private PriceWalk(
            String symbol,
            SplittableRandom random,
            double duplicateProbability,
            double basePrice,
            int priceScale,
            double maxVolume,
            int volumeScale) {
        this.symbol = symbol;
        this.quotedSymbol = '"' + new String(JsonStringEncoder.getInstance().quoteAsString(symbol)) + '"';
        this.random = random;
        this.duplicateProbability = duplicateProbability;
        this.priceScale = priceScale;
        this.basePriceUnits = Math.round(basePrice * Math.pow(10, priceScale));
        this.priceUnits = basePriceUnits;
        this.stepUnits = basePriceUnits * STEP_FRACTION;
        this.volumeScale = volumeScale;
        this.maxVolumeUnits = Math.round(maxVolume * Math.pow(10, volumeScale));
    }

    /** A walk whose magnitudes fit the kind of symbol: BTC ~97,000, ETH ~3,500, forex ~1.1, others ~100. */
    static PriceWalk create(String symbol, long seed, long connectionOrdinal, double duplicateProbability) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L
                ^ symbol.hashCode() * 0xC2B2AE3D27D4EB4FL
                ^ connectionOrdinal * 0x165667B19E3779F9L);
        String upper = symbol.toUpperCase(Locale.ROOT);
        double spread = 0.5 + random.nextDouble();
        if (upper.contains("BTC") || upper.contains("XBT")) {
            return new PriceWalk(symbol, random, duplicateProbability, 97_000, 2, 0.05, 8);
        }
        if (upper.contains("ETH")) {
            return new PriceWalk(symbol, random, duplicateProbability, 3_500, 2, 20, 4);
        }
        if (upper.startsWith("OANDA:") || upper.startsWith("FXCM:") || upper.startsWith("FOREX")) {
            return new PriceWalk(symbol, random, duplicateProbability, 1.1 * spread, 5, 1_000_000, 0);
        }
        if (upper.contains(":")) {
            return new PriceWalk(symbol, random, duplicateProbability, 100 * spread, 4, 1_000, 2);
        }
        return new PriceWalk(symbol, random, duplicateProbability, 100 * spread, 2, 500, 0);
    }

    String symbol() {
        return symbol;
    }

    /** Appends one trade element {@code {"s":..,"p":..,"t":..,"v":..[,"c":..]}}; records it when asked to. */
    void appendNextTrade(StringBuilder out, long timestamp, List<DeliveredTrade> recorded) {
        boolean duplicate = random.nextDouble() < duplicateProbability && hasPrevious;
        if (!duplicate) {
            step();
            previousTimestamp = timestamp;
            previousVolumeUnits = nextVolumeUnits();
            previousConditions = nextConditions();
            hasPrevious = true;
        }
        out.append("{\"s\":").append(quotedSymbol).append(",\"p\":");
        DecimalText.append(out, priceUnits, priceScale);
        out.append(",\"t\":").append(previousTimestamp).append(",\"v\":");
        DecimalText.append(out, previousVolumeUnits, volumeScale);
        if (previousConditions == CONDITIONS_NULL) {
            out.append(",\"c\":null");
        } else if (previousConditions >= 0) {
            out.append(CONDITION_SETS_JSON[previousConditions]);
        }
        out.append('}');
        if (recorded != null) {
            recorded.add(new DeliveredTrade(
                    symbol,
                    DecimalText.toDouble(priceUnits, priceScale),
                    previousTimestamp,
                    DecimalText.toDouble(previousVolumeUnits, volumeScale),
                    previousConditions >= 0 ? CONDITION_SETS.get(previousConditions) : null,
                    previousConditions == CONDITIONS_ABSENT));
        }
    }

    void appendQuotedSymbol(StringBuilder out) {
        out.append(quotedSymbol);
    }

    void appendPrice(StringBuilder out) {
        DecimalText.append(out, priceUnits, priceScale);
    }

    private void step() {
        double roughlyGaussian = random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5;
        long next = priceUnits
                + Math.round(roughlyGaussian * 2 * stepUnits)
                + Math.round((basePriceUnits - priceUnits) * MEAN_REVERSION);
        if (next >= 1) {
            priceUnits = next;
        }
    }

    private long nextVolumeUnits() {
        if (random.nextDouble() < ZERO_VOLUME_PROBABILITY) {
            return 0;
        }
        double r = random.nextDouble();
        return 1 + (long) (maxVolumeUnits * r * r * r);
    }

    private int nextConditions() {
        int r = random.nextInt(10);
        if (r < 4) {
            return CONDITIONS_NULL;
        }
        if (r < 7) {
            return CONDITIONS_ABSENT;
        }
        return random.nextInt(CONDITION_SETS.size());
    }
}
