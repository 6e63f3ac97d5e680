// The live page: candles of one symbol (history by REST, then server-sent events), its latest trades, and the
// pipeline's state (proxied by the service). Everything comes from this service; nothing from the internet.
'use strict';

(function () {
  const TRADES_SHOWN = 50;
  const TRADES_REFRESH_MS = 2000;
  const PIPELINE_REFRESH_MS = 3000;
  const LIVE_RETRY_MS = 30000;

  const state = {
    symbol: null,
    hours: 6,
    bars: new Map(), // time (UNIX s) -> bar
    lastTime: 0,
    source: null,
    tradesTimer: null,
  };
  // For tests and the curious: what the chart currently shows.
  const page = window.queryPage = { candleCount: 0, lastCandleTime: 0, liveUpdates: 0, tradesShown: 0, ready: false };

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
    return { time: Math.floor(c.minute_start / 1000), open: c.open, high: c.high, low: c.low, close: c.close };
  }

  function publish() {
    page.candleCount = state.bars.size;
    page.lastCandleTime = state.lastTime;
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
    const to = Date.now();
    const from = to - state.hours * 3600 * 1000;
    const url = '/api/candles/' + encodeURIComponent(state.symbol) + '?from=' + from + '&to=' + (to + 60000);
    try {
      const series = await getJson(url);
      state.bars.clear();
      series.candles.forEach((c) => { const b = toBar(c); state.bars.set(b.time, b); });
      setAll();
      chart.timeScale().fitContent();
      $('chart-note').textContent = series.candles.length ? '' : 'No candles in this range yet.';
    } catch (e) {
      $('chart-note').textContent = 'Candles unavailable: ' + e.message;
    }
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

  async function loadPipeline() {
    const body = $('pipeline').tBodies[0];
    try {
      const result = await getJson('/api/pipeline');
      body.replaceChildren(...result.components.map((c) => {
        const row = document.createElement('tr');
        row.title = c.detail || '';
        const rate = c.rows_per_second == null ? '' : Math.round(c.rows_per_second).toLocaleString('en-US') + ' rows/s';
        [c.name, c.status.replace('_', ' ').toLowerCase(), rate].forEach((text, i) => {
          const cell = document.createElement('td');
          cell.textContent = text;
          if (i === 1) cell.className = c.status;
          row.appendChild(cell);
        });
        return row;
      }));
    } catch (e) {
      const row = document.createElement('tr');
      const cell = document.createElement('td');
      cell.textContent = 'Pipeline state unavailable: ' + e.message;
      row.appendChild(cell);
      body.replaceChildren(row);
    }
  }

  async function selectSymbol(symbol) {
    state.symbol = symbol;
    $('chart-title').textContent = symbol + ' — 1-minute candles';
    const params = new URLSearchParams(location.search);
    params.set('symbol', symbol);
    history.replaceState(null, '', '?' + params.toString());
    await Promise.all([loadCandles(), loadTrades()]);
    connectLive();
  }

  async function start() {
    const params = new URLSearchParams(location.search);
    const hours = Number(params.get('hours'));
    if (hours > 0) {
      state.hours = hours;
      if (![...$('range').options].some((o) => o.value === String(hours))) {
        $('range').add(new Option(hours + ' hours', String(hours)));
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
    $('range').addEventListener('change', () => { state.hours = Number($('range').value); loadCandles(); });
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
