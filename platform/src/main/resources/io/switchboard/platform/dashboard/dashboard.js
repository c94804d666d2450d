// Switchboard's live dashboard: reads /dashboard/stream (server-sent events, one JSON snapshot a
// second, the last minutes first) and draws each running service's charts with uPlot. A service
// whose section is missing from the snapshots is simply not shown.
(function () {
  'use strict';

  var KEEP = 300; // snapshots kept: 5 minutes at one per second, as the server keeps
  var TOP_ROUTES = 6; // routes drawn in the request charts, the busiest first
  var PALETTE = ['#58a6ff', '#3fb950', '#d29922', '#f778ba', '#a371f7', '#39c5cf', '#ff7b72', '#8b949e'];

  var snapshots = [];
  var charts = {}; // id -> {plot, labels, el}
  var dirty = false;

  // What the browser test reads: how many snapshots arrived, and the last one.
  window.dashboard = { received: 0, last: null };

  // ---- formatting ---------------------------------------------------------------------------

  function fmt(v, unit) {
    if (v == null || isNaN(v)) return '–';
    var a = Math.abs(v);
    if (Number.isInteger(v) && a < 1e4) return unit ? v + ' ' + unit : String(v);
    var s = a >= 1e6 ? (v / 1e6).toFixed(1) + 'M' : a >= 1e4 ? (v / 1e3).toFixed(1) + 'k'
      : a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : a === 0 ? '0' : v.toPrecision(2);
    return unit ? s + ' ' + unit : s;
  }

  function ms(v) {
    if (v == null || isNaN(v)) return '–';
    return v >= 1000 ? fmt(v / 1000, 's') : fmt(v, 'ms');
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function get(obj, path) {
    for (var i = 0; i < path.length && obj != null; i++) obj = obj[path[i]];
    return obj == null ? null : obj;
  }

  // ---- series extraction --------------------------------------------------------------------

  function column(path) {
    return snapshots.map(function (s) { return get(s, path); });
  }

  // Keys of a map-valued field over the whole window, e.g. every route seen in the last minutes.
  function keysOf(path) {
    var seen = {};
    snapshots.forEach(function (s) {
      var m = get(s, path);
      if (m) Object.keys(m).forEach(function (k) { seen[k] = true; });
    });
    return Object.keys(seen);
  }

  function busiestRoutes() {
    var totals = {};
    snapshots.forEach(function (s) {
      var routes = get(s, ['http', 'routes']) || {};
      Object.keys(routes).forEach(function (r) { totals[r] = (totals[r] || 0) + (routes[r].rps || 0); });
    });
    return Object.keys(totals)
      .filter(function (r) { return totals[r] > 0; })
      .sort(function (a, b) { return totals[b] - totals[a]; })
      .slice(0, TOP_ROUTES);
  }

  function numericOrder(a, b) {
    var na = Number(a), nb = Number(b);
    return isNaN(na) || isNaN(nb) ? (a < b ? -1 : a > b ? 1 : 0) : na - nb;
  }

  // ---- the charts ---------------------------------------------------------------------------
  // Each chart: the section it belongs to, a title, and its series computed from the snapshots.

  var CHARTS = [
    { id: 'http-rps', section: 'http', title: 'Requests per second by route',
      now: function (s) { return fmt(get(s, ['http', 'rps']), 'req/s'); },
      series: function () {
        return busiestRoutes().map(function (r) { return { label: r, values: column(['http', 'routes', r, 'rps']) }; });
      } },
    { id: 'http-latency', section: 'http', title: 'Latency p50 (dashed) and p99 by route', log: true, unit: 'ms',
      now: function (s) { return 'worst p99 ' + ms(worstP99(s)); },
      series: function () {
        var out = [];
        busiestRoutes().forEach(function (r, i) {
          out.push({ label: r, values: column(['http', 'routes', r, 'p99']), color: PALETTE[i % PALETTE.length] });
          out.push({ label: r + ' p50', values: column(['http', 'routes', r, 'p50']), color: PALETTE[i % PALETTE.length],
            dash: [4, 4], hideInLegend: true });
        });
        return out;
      } },
    { id: 'compute', section: 'compute', title: 'Compute: queued and in flight',
      now: function (s) { return fmt(get(s, ['compute', 'rps']), 'req/s'); },
      series: function () {
        return [
          { label: 'queued', values: column(['compute', 'queued']) },
          { label: 'in flight', values: column(['compute', 'in_flight']) }
        ];
      } },
    { id: 'fanout', section: 'fanout', title: 'Fan-out per second: attempts, hedges, wins by attempt',
      now: function (s) { return fmt(get(s, ['fanout', 'rps']), 'req/s'); },
      series: function () {
        var out = [
          { label: 'requests', values: column(['fanout', 'rps']) },
          { label: 'attempts', values: column(['fanout', 'attempts']) },
          { label: 'hedges', values: column(['fanout', 'hedges']) }
        ];
        keysOf(['fanout', 'wins']).sort(numericOrder).forEach(function (a) {
          out.push({ label: 'won by #' + a, values: column(['fanout', 'wins', a]) });
        });
        return out;
      } },
    { id: 'relay', section: 'relay', title: 'Relay cache per second',
      now: function (s) {
        var h = get(s, ['relay', 'hit']) || 0, m = get(s, ['relay', 'miss']) || 0, st = get(s, ['relay', 'stale']) || 0;
        return h + m + st > 0 ? 'hit ratio ' + Math.round(100 * h / (h + m + st)) + '%' : '';
      },
      series: function () {
        return [
          { label: 'hits', values: column(['relay', 'hit']), color: '#3fb950' },
          { label: 'misses', values: column(['relay', 'miss']), color: '#d29922' },
          { label: 'stale', values: column(['relay', 'stale']), color: '#a371f7' },
          { label: 'backend errors', values: column(['relay', 'backend_errors']), color: '#f85149' }
        ];
      } },
    { id: 'eye-ingest', section: 'eye', title: 'Eye: events per second and errors by reason',
      now: function (s) { return fmt(get(s, ['eye', 'ingest']), 'events/s'); },
      series: function () {
        var out = [{ label: 'ingested', values: column(['eye', 'ingest']), color: '#58a6ff' }];
        keysOf(['eye', 'errors']).sort().forEach(function (k, i) {
          out.push({ label: k, values: column(['eye', 'errors', k]), color: ['#f85149', '#d29922', '#f778ba'][i % 3] });
        });
        return out;
      } },
    { id: 'eye-backlog', section: 'eye', title: 'Eye: processing backlog (lag)',
      now: function (s) {
        var lag = get(s, ['eye', 'lag_s']);
        return lag != null ? 'lag ' + fmt(lag, 's') : fmt(get(s, ['eye', 'backlog']), 'events');
      },
      series: function () {
        var lagSeen = snapshots.some(function (s) { return get(s, ['eye', 'lag_s']) != null; });
        return lagSeen
          ? [{ label: 'lag (s)', values: column(['eye', 'lag_s']), color: '#d29922' }]
          : [{ label: 'backlog (events)', values: column(['eye', 'backlog']), color: '#d29922' }];
      } },
    { id: 'distribute-queue', section: 'distribute', title: 'Distribute: queue and throughput',
      now: function (s) { return fmt(get(s, ['distribute', 'done']), 'tasks/s'); },
      series: function () {
        return [
          { label: 'queued', values: column(['distribute', 'queued']), color: '#58a6ff' },
          { label: 'peak', values: column(['distribute', 'peak']), color: '#8b949e', dash: [4, 4] },
          { label: 'done/s', values: column(['distribute', 'done']), color: '#3fb950' },
          { label: 'failed/s', values: column(['distribute', 'failed']), color: '#f85149' }
        ];
      } }
  ];

  var SECTIONS = [
    ['http', 'HTTP'], ['compute', 'Compute'], ['fanout', 'Fan-out'], ['relay', 'Relay'], ['distribute', 'Distribute'],
    ['eye', 'Eye']
  ];

  function worstP99(s) {
    var routes = get(s, ['http', 'routes']) || {};
    var worst = null;
    Object.keys(routes).forEach(function (r) {
      var p = routes[r].p99;
      if (p != null && (worst == null || p > worst)) worst = p;
    });
    return worst;
  }

  // ---- rendering ----------------------------------------------------------------------------

  function axisStyle(unit, log) {
    var axis = {
      stroke: '#8b949e',
      grid: { stroke: '#21262d', width: 1 },
      ticks: { stroke: '#21262d', width: 1 },
      size: log ? 72 : 60,
      values: function (u, vals) {
        // uPlot passes null for ticks it leaves unlabelled.
        return vals.map(function (v) { return v == null ? '' : unit === 'ms' ? ms(v) : fmt(v); });
      }
    };
    if (log) {
      // One tick per power of ten: 0.1 ms, 1 ms, 10 ms, ...
      axis.splits = function (u, i, min, max) {
        var out = [];
        for (var e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(Math.pow(10, e));
        return out;
      };
    }
    return axis;
  }

  function clock(u, vals) {
    return vals.map(function (v) {
      var d = new Date(v * 1000);
      return [d.getHours(), d.getMinutes(), d.getSeconds()].map(function (n) { return n < 10 ? '0' + n : n; }).join(':');
    });
  }

  function makePlot(spec, host, series) {
    var width = Math.max(300, host.clientWidth);
    var opts = {
      width: width,
      height: 190,
      cursor: { points: { size: 6 } },
      legend: { live: false },
      scales: { x: { time: true }, y: spec.log ? { distr: 3, log: 10 } : { range: function (u, min, max) {
        return [0, max > 0 ? max * 1.1 : 1];
      } } },
      axes: [
        { stroke: '#8b949e', grid: { stroke: '#21262d', width: 1 }, ticks: { stroke: '#21262d', width: 1 },
          space: 70, values: clock },
        axisStyle(spec.unit, spec.log)
      ],
      series: [{}].concat(series.map(function (s, i) {
        return {
          label: s.label,
          stroke: s.color || PALETTE[i % PALETTE.length],
          width: 1.6,
          dash: s.dash,
          spanGaps: false,
          points: { show: false },
          value: function (u, v) { return spec.unit === 'ms' ? ms(v) : fmt(v); }
        };
      }))
    };
    var plot = new uPlot(opts, dataOf(series), host);
    // Dashed companions (p50 beside p99) share their solid line's legend entry.
    var entries = plot.root.querySelectorAll('.u-legend .u-series');
    series.forEach(function (s, i) {
      if (s.hideInLegend && entries[i]) entries[i].style.display = 'none';
    });
    return plot;
  }

  function dataOf(series) {
    var xs = snapshots.map(function (s) { return s.t / 1000; });
    return [xs].concat(series.map(function (s) { return s.values; }));
  }

  function sectionEl(key, title) {
    var id = 'section-' + key;
    var existing = document.getElementById(id);
    if (existing) return existing;
    var section = el('section');
    section.id = id;
    section.dataset.service = key;
    section.appendChild(el('h2', null, title));
    // Keep sections in their fixed order whatever order they appear in.
    var order = SECTIONS.map(function (s) { return s[0]; });
    var main = document.getElementById('sections');
    var before = null;
    for (var i = order.indexOf(key) + 1; i < order.length && !before; i++) {
      before = document.getElementById('section-' + order[i]);
    }
    main.insertBefore(section, before);
    return section;
  }

  function render() {
    dirty = false;
    var last = snapshots[snapshots.length - 1];
    if (!last) return;
    renderHeader(last);
    SECTIONS.forEach(function (s) {
      var key = s[0];
      var present = last[key] != null;
      var existing = document.getElementById('section-' + key);
      if (!present) {
        if (existing) {
          CHARTS.forEach(function (c) { if (c.section === key) dropChart(c.id); });
          existing.remove();
        }
        return;
      }
      sectionEl(key, s[1]);
    });
    CHARTS.forEach(function (spec) {
      if (last[spec.section] == null) return;
      renderChart(spec, last);
    });
    if (last.distribute) renderWorkers(last.distribute.workers || {});
  }

  function dropChart(id) {
    if (charts[id]) {
      charts[id].plot.destroy();
      delete charts[id];
    }
  }

  function renderChart(spec, last) {
    var section = document.getElementById('section-' + spec.section);
    var box = document.getElementById('chart-' + spec.id);
    if (!box) {
      box = el('div', 'chart-box');
      box.id = 'chart-' + spec.id;
      var h = el('h2', null, spec.title);
      h.appendChild(el('span', 'now'));
      box.appendChild(h);
      box.appendChild(el('div', 'chart'));
      // The section's own heading gives way to the first chart's, which names the service.
      var first = section.querySelector('h2');
      if (first && first.parentNode === section) first.remove();
      section.appendChild(box);
    }
    box.querySelector('.now').textContent = spec.now ? spec.now(last) : '';
    var host = box.querySelector('.chart');
    var series = spec.series();
    var labels = series.map(function (s) { return s.label; }).join('\n');
    var chart = charts[spec.id];
    if (series.length === 0) {
      dropChart(spec.id);
      if (!host.querySelector('.empty')) {
        host.innerHTML = '';
        host.appendChild(el('div', 'empty', 'no traffic yet'));
      }
      return;
    }
    if (!chart || chart.labels !== labels) {
      dropChart(spec.id);
      host.innerHTML = '';
      charts[spec.id] = { plot: makePlot(spec, host, series), labels: labels, host: host };
    } else {
      chart.plot.setData(dataOf(series));
    }
  }

  function renderWorkers(workers) {
    var section = document.getElementById('section-distribute');
    var table = section.querySelector('table.workers');
    if (!table) {
      table = el('table', 'workers');
      var head = el('tr');
      ['worker', 'state', 'tasks', 'busy share', '', 'restarts'].forEach(function (t) { head.appendChild(el('th', null, t)); });
      table.appendChild(head);
      section.appendChild(table);
    }
    while (table.rows.length > 1) table.deleteRow(1);
    Object.keys(workers).forEach(function (id) {
      var w = workers[id];
      var row = table.insertRow();
      row.appendChild(el('td', null, id));
      row.appendChild(el('td', 'state ' + w.state, w.state));
      row.appendChild(el('td', 'n', fmt(w.tasks)));
      var share = w.share == null ? null : w.share;
      row.appendChild(el('td', 'n', share == null ? '–' : Math.round(share * 100) + '%'));
      var barCell = el('td');
      var bar = el('div', 'bar');
      var fill = el('div');
      fill.style.width = Math.round((share || 0) * 100) + '%';
      bar.appendChild(fill);
      barCell.appendChild(bar);
      row.appendChild(barCell);
      row.appendChild(el('td', 'n', fmt(w.restarts)));
    });
  }

  function renderHeader(last) {
    var services = document.getElementById('services');
    var names = (last.services || []).join(',');
    if (services.dataset.names !== names) {
      services.dataset.names = names;
      services.innerHTML = '';
      (last.services || []).forEach(function (n) { services.appendChild(el('span', null, n)); });
    }
    var tiles = [
      ['req/s', fmt(get(last, ['http', 'rps']))],
      ['5xx/s', fmt(get(last, ['http', 'err'])), (get(last, ['http', 'err']) || 0) > 0],
      ['worst p99', ms(worstP99(last))],
      ['cpu', get(last, ['process', 'cpu']) == null ? '–' : Math.round(last.process.cpu * 100) + '%'],
      ['heap', fmt(get(last, ['process', 'heap_mb']), 'MB')]
    ];
    if (last.distribute) tiles.push(['tasks queued', fmt(last.distribute.queued)]);
    if (last.eye && last.eye.lag_s != null) tiles.push(['eye lag', fmt(last.eye.lag_s, 's'), last.eye.lag_s > 60]);
    var box = document.getElementById('tiles');
    box.innerHTML = '';
    tiles.forEach(function (t) {
      var tile = el('div', 'tile' + (t[2] ? ' bad' : ''));
      tile.appendChild(el('div', 'v', t[1]));
      tile.appendChild(el('div', 'k', t[0]));
      box.appendChild(tile);
    });
  }

  function schedule() {
    if (!dirty) {
      dirty = true;
      requestAnimationFrame(render);
    }
  }

  // ---- the stream ---------------------------------------------------------------------------

  function connect() {
    var status = document.getElementById('status');
    var source = new EventSource('/dashboard/stream');
    source.addEventListener('snapshot', function (e) {
      var snapshot = JSON.parse(e.data);
      // After a reconnect the server sends only what was missed; never keep a time twice.
      if (snapshots.length && snapshot.t <= snapshots[snapshots.length - 1].t) return;
      snapshots.push(snapshot);
      if (snapshots.length > KEEP) snapshots.shift();
      window.dashboard.received++;
      window.dashboard.last = snapshot;
      status.className = 'dot live';
      status.title = 'live';
      schedule();
    });
    source.onerror = function () {
      status.className = 'dot down';
      status.title = 'disconnected, retrying';
    };
  }

  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (id) {
      var c = charts[id];
      c.plot.setSize({ width: Math.max(300, c.host.clientWidth), height: 190 });
    });
  });

  connect();
})();
