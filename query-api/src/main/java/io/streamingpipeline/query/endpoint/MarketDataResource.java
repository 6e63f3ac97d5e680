package io.streamingpipeline.query.endpoint;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.query.cassandra.MarketDataStore;
import io.streamingpipeline.query.config.QueryConfig;
import io.streamingpipeline.query.domain.Candle;
import io.streamingpipeline.query.domain.CandleInterval;
import io.streamingpipeline.query.domain.CandleSeries;
import io.streamingpipeline.query.domain.PageToken;
import io.streamingpipeline.query.domain.RequestArguments;
import io.streamingpipeline.query.domain.TimeRange;
import io.streamingpipeline.query.domain.TradePage;
import io.streamingpipeline.query.live.LiveCandles;
import io.streamingpipeline.query.live.LiveStreamLimit;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The read API: symbols, trades (paged), 1-minute, hourly and daily candles, and live updates of the 1-minute ones. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class MarketDataResource {

    private static final String TIME =
            "UNIX milliseconds, ISO-8601 instant (2025-01-31T12:00:00Z) or UTC date (2025-01-31)";

    private final MarketDataStore store;
    private final LiveCandles live;
    private final LiveStreamLimit streams;
    private final QueryConfig config;

    public MarketDataResource(MarketDataStore store, LiveCandles live, LiveStreamLimit streams, QueryConfig config) {
        this.store = store;
        this.live = live;
        this.streams = streams;
        this.config = config;
    }

    @GET
    @Path("/symbols")
    @Operation(summary = "The symbols this deployment serves (configuration query.symbols)")
    public Map<String, List<String>> symbols() {
        return Map.of("symbols", config.symbols());
    }

    @GET
    @Path("/trades/{symbol}")
    @Operation(summary = "Trades of a symbol in [from, to), newest first, paged with next_page_token")
    public Uni<TradePage> trades(
            @PathParam("symbol") String symbol,
            @Parameter(description = "start, inclusive (default: to - 1 h); " + TIME) @QueryParam("from") String from,
            @Parameter(description = "end, exclusive (default: now); " + TIME) @QueryParam("to") String to,
            @Parameter(description = "1 to 1000 (default 100)") @QueryParam("limit") String limit,
            @Parameter(description = "next_page_token of the previous page") @QueryParam("page") String page) {
        String checkedSymbol = RequestArguments.symbol(symbol);
        TimeRange range = TimeRange.parse(
                from, to, config.trades().defaultRange(), config.trades().maxRange(), Instant.now());
        int max = RequestArguments.limit(
                limit, config.trades().defaultLimit(), config.trades().maxLimit());
        PageToken after = page == null || page.isBlank() ? null : PageToken.decode(page);
        return store.trades(checkedSymbol, range, after, max + 1).map(found -> {
            List<Trade> trades = found.size() > max ? found.subList(0, max) : found;
            String next = null;
            if (found.size() > max) {
                Trade last = trades.get(trades.size() - 1);
                next = new PageToken(last.timestampUnix(), last.id()).encode();
            }
            return new TradePage(checkedSymbol, range.from(), range.to(), max, List.copyOf(trades), next);
        });
    }

    @GET
    @Path("/candles/{symbol}")
    @Operation(
            summary = "Candles of a symbol whose minute, hour or day starts in [from, to), oldest first",
            description = "interval 1m (default): 1-minute candles, written by the streaming job as trades arrive. "
                    + "1h and 1d: hourly and daily candles, rolled up from a day's 1-minute candles by the day jobs' "
                    + "rollups (daily after the day's close): the current day is not in them yet. Each interval has "
                    + "its own default and widest range (query.candles.*, query.candles.1h.*, query.candles.1d.*); a "
                    + "wider range or another interval is answered 400.")
    public Uni<CandleSeries<?>> candles(
            @PathParam("symbol") String symbol,
            @Parameter(
                            description = "start, inclusive (default: to - 6 h for 1m, 7 days for 1h, 30 days for 1d); "
                                    + TIME)
                    @QueryParam("from")
                    String from,
            @Parameter(description = "end, exclusive (default: now); " + TIME) @QueryParam("to") String to,
            @Parameter(
                            description = "1m (default), 1h or 1d; widest range by default 31, 90 and 1096 days",
                            schema =
                                    @Schema(
                                            enumeration = {"1m", "1h", "1d"},
                                            defaultValue = "1m"))
                    @QueryParam("interval")
                    String interval) {
        String checkedSymbol = RequestArguments.symbol(symbol);
        CandleInterval checkedInterval = CandleInterval.parse(interval);
        TimeRange range =
                TimeRange.parse(from, to, defaultRange(checkedInterval), maxRange(checkedInterval), Instant.now());
        String label = checkedInterval.label();
        if (checkedInterval == CandleInterval.ONE_MINUTE) {
            return store.candles(checkedSymbol, range)
                    .map(candles -> new CandleSeries<>(checkedSymbol, label, range.from(), range.to(), candles));
        }
        return store.rollups(checkedSymbol, checkedInterval, range)
                .map(candles -> new CandleSeries<>(checkedSymbol, label, range.from(), range.to(), candles));
    }

    private Duration defaultRange(CandleInterval interval) {
        return switch (interval) {
            case ONE_MINUTE -> config.candles().defaultRange();
            case ONE_HOUR -> config.candles().hourly().defaultRange();
            case ONE_DAY -> config.candles().daily().defaultRange();
        };
    }

    private Duration maxRange(CandleInterval interval) {
        return switch (interval) {
            case ONE_MINUTE -> config.candles().maxRange();
            case ONE_HOUR -> config.candles().hourly().maxRange();
            case ONE_DAY -> config.candles().daily().maxRange();
        };
    }

    @GET
    @Path("/candles/{symbol}/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Server-sent events: every candle of the last minutes of a symbol when it appears or changes "
                    + "(429 when query.live.max-streams streams are open)")
    public Multi<Candle> liveCandles(@PathParam("symbol") String symbol) {
        String checkedSymbol = RequestArguments.symbol(symbol);
        return streams.admit(() -> live.stream(checkedSymbol));
    }
}
