// The live page: candles of one symbol (history by REST, then server-sent events), its latest trades, and the
// pipeline's state (proxied by the service). Everything comes from this service; nothing from the internet.
// Ranges up to 24 hours show 1-minute candles, kept current by the live stream. Longer ranges show the rollups, which
// cover closed days only: hourly candles up to 30 days (720 bars: a chart's worth, where daily candles would be 30
// bars), daily candles beyond (a year: 365 bars).
'use strict';

(function () {
  const TRADES_SHOWN = 50;
  const TRADES_REFRESH_MS = 2000;
  const PIPELINE_REFRESH_MS = 3000;
  const LIVE_RETRY_MS = 30000;
  const FEED_QUIET_SECONDS = 30; // a symbol without a trade this long is named in the pipeline panel
  const INTERVALS = {
    '1m': { millis: 60000, name: '1-minute' },
    '1h': { millis: 3600000, name: '1-hour' },
    '1d': { millis: 86400000, name: '1-day' },
  };

  function intervalFor(hours) {
    return hours <= 24 ? '1m' : hours <= 24 * 30 ? '1h' : '1d';
  }

  const state = {
    symbol: null,
    hours: 6,
    interval: '1m', // of the candles on the chart
    candlesRequest: 0,
    bars: new Map(), // time (UNIX s) -> bar
    lastTime: 0,
    source: null,
    tradesTimer: null,
  };
  // For tests and the curious: what the chart currently shows.
  const page = window.queryPage = {
    candleCount: 0, lastCandleTime: 0, liveUpdates: 0, tradesShown: 0, ready: false, interval: '1m', liveOpen: false,
  };

  const $ = (id) => document.getElementById(id);
  const chart = LightweightCharts.createChart($('chart'), {
    autoSize: true,
    layout: { background: { color: '#1a2029' }, textColor: '#d8dee9' },
    grid: { vertLines: { color: '#232a35' }, horzLines: { color: '#232a35' } },
    timeScale: { timeVisible: true, secondsVisible: false },
  });
  const series = chart.addSeries(LightweightCharts.CandlestickSeries, {
    upColor: '#26a69a', downColor: '#ef5350', borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350',
  });

  function toBar(c) {
    const start = c.minute_start != null ? c.minute_start : c.start; // 1m candles: minute_start; 1h, 1d: start
    return { time: Math.floor(start / 1000), open: c.open, high: c.high, low: c.low, close: c.close };
  }

  function publish() {
    page.candleCount = state.bars.size;
    page.lastCandleTime = state.lastTime;
    page.interval = state.interval;
    page.liveOpen = state.source != null;
    document.body.dataset.interval = page.interval;
    document.body.dataset.candleCount = String(page.candleCount);
    document.body.dataset.lastCandleTime = String(page.lastCandleTime);
  }

  function setAll() {
    const bars = [...state.bars.values()].sort((a, b) => a.time - b.time);
    series.setData(bars);
    state.lastTime = bars.length ? bars[bars.length - 1].time : 0;
    publish();
  }

  function applyLive(candle) {
    if (state.interval !== '1m') {
      return; // a minute that was in flight when the range changed
    }
    const bar = toBar(candle);
    state.bars.set(bar.time, bar);
    if (bar.time >= state.lastTime) {
      series.update(bar);
      state.lastTime = bar.time;
    } else {
      setAll(); // a late change to an older minute: lightweight-charts only updates the newest bar in place
    }
    page.liveUpdates++;
    publish();
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(body.message || ('HTTP ' + response.status));
    }
    return body;
  }

  async function loadCandles() {
    const request = ++state.candlesRequest;
    const interval = intervalFor(state.hours);
    const to = Date.now();
    const from = to - state.hours * 3600 * 1000;
    // to: the end of the current period, so that its candle is included
    const url = '/api/candles/' + encodeURIComponent(state.symbol) + '?interval=' + interval + '&from=' + from
      + '&to=' + (to + INTERVALS[interval].millis);
    try {
      const series = await getJson(url);
      if (request !== state.candlesRequest) {
        return; // the symbol or the range changed meanwhile
      }
      state.interval = interval;
      $('chart-title').textContent = state.symbol + ' — ' + INTERVALS[interval].name + ' candles';
      state.bars.clear();
      series.candles.forEach((c) => { const b = toBar(c); state.bars.set(b.time, b); });
      setAll();
      chart.timeScale().fitContent();
      const rollup = interval !== '1m';
      if (!series.candles.length) {
        $('chart-note').textContent = rollup
          ? 'No ' + INTERVALS[interval].name + ' candles in this range yet: the daily rollups build them once a day has closed.'
          : 'No candles in this range yet.';
      } else {
        $('chart-note').textContent = rollup
          ? INTERVALS[interval].name + ' candles of closed days (daily rollups); today is on the ranges up to 24 hours.'
          : '';
      }
    } catch (e) {
      if (request === state.candlesRequest) {
        $('chart-note').textContent = 'Candles unavailable: ' + e.message;
      }
    }
  }

  // The live stream belongs to the 1-minute ranges; the rollup ranges have nothing live to show.
  function syncLive(reconnect) {
    if (intervalFor(state.hours) === '1m') {
      if (reconnect || !state.source) {
        connectLive();
      }
    } else {
      if (state.source) {
        state.source.close();
        state.source = null;
      }
      $('live').textContent = 'not live (' + INTERVALS[intervalFor(state.hours)].name + ' candles)';
      $('live').className = 'badge';
    }
    publish();
  }

  function connectLive() {
    if (state.source) {
      state.source.close();
    }
    const source = new EventSource('/api/candles/' + encodeURIComponent(state.symbol) + '/live');
    source.onopen = () => { $('live').textContent = 'live'; $('live').className = 'badge live'; };
    source.onmessage = (event) => applyLive(JSON.parse(event.data));
    source.onerror = () => {
      $('live').textContent = 'reconnecting…';
      $('live').className = 'badge down';
      // The browser retries a dropped stream by itself, but not an error answer (429: all streams in use, 503).
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(() => { if (state.source === source) connectLive(); }, LIVE_RETRY_MS);
      }
    };
    state.source = source;
    publish();
  }

  function formatTime(ms) {
    return new Date(ms).toISOString().substring(11, 23);
  }

  async function loadTrades() {
    const symbol = state.symbol;
    try {
      const result = await getJson('/api/trades/' + encodeURIComponent(symbol) + '?limit=' + TRADES_SHOWN);
      if (symbol !== state.symbol) {
        return;
      }
      const body = $('trades').tBodies[0];
      body.replaceChildren(...result.trades.map((t) => {
        const row = document.createElement('tr');
        [formatTime(t.timestamp_unix), t.price.toLocaleString('en-US', { maximumFractionDigits: 8 }),
          t.volume.toLocaleString('en-US', { maximumFractionDigits: 8 })].forEach((text) => {
          const cell = document.createElement('td');
          cell.textContent = text;
          row.appendChild(cell);
        });
        return row;
      }));
      page.tradesShown = result.trades.length;
      document.body.dataset.tradesShown = String(page.tradesShown);
    } catch (e) {
      const body = $('trades').tBodies[0];
      const row = document.createElement('tr');
      const cell = document.createElement('td');
      cell.colSpan = 3;
      cell.textContent = 'Trades unavailable: ' + e.message;
      row.appendChild(cell);
      body.replaceChildren(row);
    }
  }

  function seconds(value) {
    return Math.round(value).toLocaleString('en-US') + ' s';
  }

  // What the ingestor could not see: time without a subscribed feed (by reason), the gap still open, quiet symbols.
  function feedRow(feed) {
    const row = document.createElement('tr');
    row.className = 'feed';
    const cell = document.createElement('td');
    cell.colSpan = 3;
    const parts = [];
    const reasons = Object.entries(feed.gap_seconds || {}).filter(([, s]) => s >= 0.5)
      .map(([reason, s]) => reason.replace('_', ' ') + ' ' + seconds(s));
    parts.push(feed.gap_seconds_total >= 0.5
      ? 'feed gaps ' + seconds(feed.gap_seconds_total) + (reasons.length ? ' (' + reasons.join(', ') + ')' : '')
      : 'no feed gaps');
    if (feed.disconnected_seconds > 0) {
      parts.push('disconnected for ' + seconds(feed.disconnected_seconds));
    }
    const quiet = Object.entries(feed.symbol_last_trade_age_seconds || {})
      .filter(([, s]) => s >= FEED_QUIET_SECONDS).map(([symbol, s]) => symbol + ' ' + seconds(s));
    if (quiet.length) {
      parts.push('no trade for ' + quiet.join(', '));
    }
    cell.textContent = parts.join(' · ');
    if (feed.disconnected_seconds > 0) cell.classList.add('DOWN');
    row.appendChild(cell);
    return row;
  }

  async function loadPipeline() {
    const body = $('pipeline').tBodies[0];
    try {
      const result = await getJson('/api/pipeline');
      body.replaceChildren(...result.components.flatMap((c) => {
        const row = document.createElement('tr');
        row.title = c.detail || '';
        const rate = c.rows_per_second == null ? '' : Math.round(c.rows_per_second).toLocaleString('en-US') + ' rows/s';
        [c.name, c.status.replace('_', ' ').toLowerCase(), rate].forEach((text, i) => {
          const cell = document.createElement('td');
          cell.textContent = text;
          if (i === 1) cell.className = c.status;
          row.appendChild(cell);
        });
        return c.feed ? [row, feedRow(c.feed)] : [row];
      }));
    } catch (e) {
      const row = document.createElement('tr');
      const cell = document.createElement('td');
      cell.textContent = 'Pipeline state unavailable: ' + e.message;
      row.appendChild(cell);
      body.replaceChildren(row);
    }
  }

  function remember(name, value) {
    const params = new URLSearchParams(location.search);
    params.set(name, value);
    history.replaceState(null, '', '?' + params.toString());
  }

  async function selectSymbol(symbol) {
    state.symbol = symbol;
    $('chart-title').textContent = symbol + ' — ' + INTERVALS[intervalFor(state.hours)].name + ' candles';
    remember('symbol', symbol);
    await Promise.all([loadCandles(), loadTrades()]);
    syncLive(true);
  }

  async function selectRange(hours) {
    state.hours = hours;
    remember('hours', String(hours));
    await loadCandles();
    syncLive(false);
  }

  async function start() {
    const params = new URLSearchParams(location.search);
    const hours = Number(params.get('hours'));
    if (hours > 0) {
      state.hours = hours;
      if (![...$('range').options].some((o) => o.value === String(hours))) {
        $('range').add(new Option(hours % 24 === 0 && hours > 24 ? hours / 24 + ' days' : hours + ' hours', String(hours)));
      }
      $('range').value = String(hours);
    }
    let symbols = [];
    try {
      symbols = (await getJson('/api/symbols')).symbols;
    } catch (e) {
      $('chart-note').textContent = 'Symbols unavailable: ' + e.message;
    }
    const wanted = params.get('symbol');
    if (wanted && !symbols.includes(wanted)) {
      symbols = [wanted, ...symbols];
    }
    symbols.forEach((s) => $('symbol').add(new Option(s, s)));
    $('symbol').addEventListener('change', () => selectSymbol($('symbol').value));
    $('range').addEventListener('change', () => selectRange(Number($('range').value)));
    loadPipeline();
    setInterval(loadPipeline, PIPELINE_REFRESH_MS);
    if (symbols.length) {
      $('symbol').value = wanted || symbols[0];
      await selectSymbol($('symbol').value);
      setInterval(loadTrades, TRADES_REFRESH_MS);
    }
    page.ready = true;
    document.body.dataset.ready = 'true';
  }

  start();
})();
