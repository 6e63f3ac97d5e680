package io.streamingpipeline.query.endpoint;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.query.cassandra.MarketDataStore;
import io.streamingpipeline.query.config.QueryConfig;
import io.streamingpipeline.query.domain.Candle;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The read API: symbols, trades (paged), 1-minute candles and their live updates. */
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
    @Operation(summary = "1-minute candles of a symbol whose minute starts in [from, to), oldest first")
    public Uni<CandleSeries> candles(
            @PathParam("symbol") String symbol,
            @Parameter(description = "start, inclusive (default: to - 6 h); " + TIME) @QueryParam("from") String from,
            @Parameter(description = "end, exclusive (default: now); " + TIME) @QueryParam("to") String to) {
        String checkedSymbol = RequestArguments.symbol(symbol);
        TimeRange range = TimeRange.parse(
                from, to, config.candles().defaultRange(), config.candles().maxRange(), Instant.now());
        return store.candles(checkedSymbol, range)
                .map(candles -> new CandleSeries(checkedSymbol, range.from(), range.to(), candles));
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
