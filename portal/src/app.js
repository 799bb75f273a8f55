/* KiteStacks portal widgets: host stats, weather and Forgejo activity from this host's
   metrics API (/api/*, proxied by nginx). Vanilla JS, no dependencies. Each widget fails on
   its own: a failed request marks that widget offline and keeps its last figures; nothing
   else on the page depends on the API. Polling pauses while the tab is hidden. */
"use strict";

(function () {
  var STATS_MS = 3000;
  var WEATHER_MS = 5 * 60 * 1000;
  var ACTIVITY_MS = 60 * 1000;
  var BACKUPS_MS = 60 * 1000;
  var HOMES_MS = 20 * 1000;
  var TIMEOUT_MS = 4000;
  var RETRY_MS = 15000;
  var HISTORY = 40;
  /** The sampler counts as stuck when sampled_at has not moved for this long (local clock). */
  var STUCK_MS = 12000;

  // ---- helpers -------------------------------------------------------------------------

  function $(root, field) {
    return root.querySelector('[data-field="' + field + '"]');
  }
  function text(el, value) {
    if (el) el.textContent = value;
  }
  function h(tag, cls, content) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (content !== undefined && content !== null) el.textContent = String(content);
    return el;
  }
  function num(v) {
    return typeof v === "number" && isFinite(v) ? v : null;
  }
  function str(v) {
    return typeof v === "string" && v !== "" ? v : null;
  }
  function obj(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? v : null;
  }
  function safeHref(v) {
    var s = str(v);
    return s && /^https?:\/\//i.test(s) ? s : null;
  }
  function pct(v) {
    return v === null ? "—" : v.toFixed(1) + "%";
  }
  function bytes(v, suffix) {
    if (v === null) return "—";
    var units = ["B", "KiB", "MiB", "GiB", "TiB"];
    var i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return (i === 0 ? String(Math.round(v)) : v.toFixed(v < 10 ? 1 : 0)) + " " + units[i] + (suffix || "");
  }
  function clock(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }
  function ago(seconds) {
    if (seconds === null) return "";
    if (seconds < 60) return Math.max(0, Math.round(seconds)) + " s ago";
    if (seconds < 3600) return Math.round(seconds / 60) + " min ago";
    if (seconds < 86400) return Math.round(seconds / 3600) + " h ago";
    return Math.round(seconds / 86400) + " d ago";
  }
  function duration(seconds) {
    if (seconds === null) return "—";
    var d = Math.floor(seconds / 86400);
    var hrs = Math.floor((seconds % 86400) / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    return d > 0 ? d + "d " + hrs + "h" : hrs > 0 ? hrs + "h " + m + "m" : m + "m";
  }

  /** GET a JSON document from the API; rejects with a short reason on timeout, HTTP error or bad JSON. */
  function getJSON(url) {
    var ctrl = typeof AbortController === "function" ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (ctrl) ctrl.abort();
    }, TIMEOUT_MS);
    return fetch(url, { cache: "no-store", headers: { accept: "application/json" }, signal: ctrl ? ctrl.signal : undefined })
      .then(
        function (res) {
          return res.text().then(function (body) {
            var data = null;
            try {
              data = body ? JSON.parse(body) : null;
            } catch (e) {
              data = null;
            }
            if (!res.ok) {
              var err = new Error(res.status >= 502 && res.status <= 504 ? "metrics API unreachable (HTTP " + res.status + ")" : "HTTP " + res.status);
              err.status = res.status;
              err.body = data;
              throw err;
            }
            if (data === null) throw new Error("the API sent something that is not JSON");
            return data;
          });
        },
        function (e) {
          throw new Error(e && e.name === "AbortError" ? "no answer within " + TIMEOUT_MS / 1000 + " s" : "network error");
        },
      )
      .finally(function () {
        clearTimeout(timer);
      });
  }

  function setState(widget, state, status) {
    widget.setAttribute("data-state", state);
    text($(widget, "status"), status);
  }

  /**
   * Runs task() now and then every `ms` after it settles; stops while the page is hidden and
   * catches up at once when it is shown again if a run is due.
   */
  function Poller(task, ms) {
    this.task = task;
    this.ms = ms;
    // After a failure, try again sooner than a slow widget's normal period.
    this.retryMs = Math.min(ms, RETRY_MS);
    this.timer = null;
    this.lastRun = 0;
    this.running = false;
  }
  Poller.prototype.run = function () {
    var self = this;
    if (self.running) return;
    self.running = true;
    self.lastRun = Date.now();
    clearTimeout(self.timer);
    Promise.resolve()
      .then(self.task)
      .then(
        function () {
          return self.ms;
        },
        function () {
          // The task has already shown the failure in its widget.
          return self.retryMs;
        },
      )
      .then(function (next) {
        self.running = false;
        self.schedule(next);
      });
  };
  Poller.prototype.schedule = function (delay) {
    var self = this;
    clearTimeout(self.timer);
    if (document.hidden) return;
    self.timer = setTimeout(function () {
      self.run();
    }, delay);
  };
  Poller.prototype.pause = function () {
    clearTimeout(this.timer);
    this.timer = null;
  };
  Poller.prototype.resume = function () {
    this.schedule(Math.max(0, this.ms - (Date.now() - this.lastRun)));
  };

  // ---- sparklines ----------------------------------------------------------------------

  function plot(polyline, values, max) {
    var pts = [];
    var n = values.length;
    var top = max || 1;
    for (var i = 0; i < n; i++) {
      if (values[i] === null) continue;
      // Spread what we have over the full width; once HISTORY points exist, the line scrolls.
      var x = n === 1 ? 120 : (i / (n - 1)) * 120;
      var y = 29 - (Math.min(values[i], top) / top) * 28;
      pts.push(x.toFixed(1) + "," + y.toFixed(1));
    }
    polyline.setAttribute("points", pts.join(" "));
  }
  function push(list, value) {
    list.push(value);
    if (list.length > HISTORY) list.shift();
  }

  // ---- host stats ----------------------------------------------------------------------

  function hostWidget(widget) {
    var hist = { cpu: [], mem: [], rx: [], tx: [] };
    var lastSampledAt = null;
    var lastChange = 0;
    var lastOk = 0;
    var sparks = {};
    ["cpu", "memory", "network"].forEach(function (m) {
      sparks[m] = widget.querySelectorAll('[data-metric="' + m + '"] polyline');
    });
    widget.querySelectorAll(".meter-value").forEach(function (el) {
      el.classList.add("dim-when-old");
    });

    function render(s) {
      var cpu = obj(s.cpu) || {};
      var mem = obj(s.memory) || {};
      var net = obj(obj(s.network) && s.network.total) || {};
      var cpuPct = num(cpu.percent);
      var memPct = num(mem.percent);
      var rx = num(net.rx_bytes_per_sec);
      var tx = num(net.tx_bytes_per_sec);
      push(hist.cpu, cpuPct);
      push(hist.mem, memPct);
      push(hist.rx, rx);
      push(hist.tx, tx);

      var host = str(s.hostname);
      text($(widget, "hostname"), host || "unknown");
      var servedBy = document.querySelector('[data-field="served-by"]');
      if (host) text(servedBy, host);

      text($(widget, "cpu"), pct(cpuPct) + (num(cpu.count) ? " of " + cpu.count + " cores" : ""));
      text($(widget, "memory"), pct(memPct) + " · " + bytes(num(mem.used_bytes)) + " / " + bytes(num(mem.total_bytes)));
      var netEl = $(widget, "network");
      if (netEl) {
        netEl.replaceChildren(h("span", "net-rx", "↓ " + bytes(rx, "/s")), document.createTextNode("  "), h("span", "net-tx", "↑ " + bytes(tx, "/s")));
      }
      plot(sparks.cpu[0], hist.cpu, 100);
      plot(sparks.memory[0], hist.mem, 100);
      var netMax = Math.max.apply(null, hist.rx.concat(hist.tx).map(function (v) {
        return v || 0;
      }).concat([1024]));
      plot(sparks.network[0], hist.rx, netMax);
      plot(sparks.network[1], hist.tx, netMax);

      var load = obj(s.load) || {};
      var parts = ["up " + duration(num(s.uptime_seconds))];
      if (num(load.load1) !== null) parts.push("load " + [load.load1, load.load5, load.load15].map(function (v) {
        return num(v) === null ? "—" : v.toFixed(2);
      }).join(" "));
      var disk = obj(s.disk);
      if (disk && num(disk.percent) !== null) parts.push("disk " + pct(disk.percent));
      text($(widget, "meta"), parts.join(" · "));
    }

    return function poll() {
      return getJSON("/api/stats").then(
        function (s) {
          var now = Date.now();
          lastOk = now;
          var sampledAt = str(s.sampled_at);
          if (sampledAt !== lastSampledAt) {
            lastSampledAt = sampledAt;
            lastChange = now;
          }
          render(s);
          if (now - lastChange > STUCK_MS) {
            setState(widget, "stale", "stale: no new sample since " + clock(lastChange));
          } else {
            setState(widget, "live", "live · " + clock(now));
          }
        },
        function (err) {
          var noSample = err.status === 503 && obj(err.body) && err.body.error === "no_sample";
          var why = noSample ? "the API has no host sample yet" : err.message;
          setState(widget, "offline", "offline: " + why + (lastOk ? "; figures from " + clock(lastOk) : ""));
          throw err;
        },
      );
    };
  }

  // ---- weather and activity (cached upstreams with stale flags) -------------------------

  /**
   * Shared handling of the API's upstream envelope:
   * { enabled:false, reason } | { available:false, stale:true, error } |
   * { available:true, stale, age_seconds, fetched_at, error?, data }.
   */
  function envelopeWidget(widget, url, label, render) {
    var shown = false;
    var lastOk = 0;
    return function poll() {
      return getJSON(url).then(
        function (env) {
          var e = obj(env) || {};
          if (e.enabled === false) {
            setState(widget, "disabled", "not configured" + (str(e.reason) ? ": " + e.reason : ""));
            return;
          }
          if (e.available !== true || !obj(e.data)) {
            setState(widget, "offline", label + " unavailable" + (str(e.error) ? ": " + e.error : ""));
            return;
          }
          render(e.data);
          shown = true;
          lastOk = Date.now();
          var age = num(e.age_seconds);
          if (e.stale === true) {
            setState(widget, "stale", "stale: from " + (age === null ? "earlier" : ago(age)) + (str(e.error) ? " (" + e.error + ")" : ""));
          } else {
            setState(widget, "live", "updated " + (age === null ? "just now" : ago(age)));
          }
        },
        function (err) {
          setState(widget, "offline", "offline: " + err.message + (shown ? "; showing data from " + clock(lastOk) : ""));
          throw err;
        },
      );
    };
  }

  var WEATHER_ICONS = [
    [0, "☀️"], [1, "🌤️"], [2, "⛅"], [3, "☁️"], [48, "🌫️"], [57, "🌦️"], [67, "🌧️"], [77, "🌨️"], [82, "🌧️"], [86, "🌨️"], [99, "⛈️"],
  ];
  function weatherIcon(code, isDay) {
    if (code === null) return "";
    if (code === 0 && isDay === false) return "🌙";
    for (var i = 0; i < WEATHER_ICONS.length; i++) if (code <= WEATHER_ICONS[i][0]) return WEATHER_ICONS[i][1];
    return "🌡️";
  }
  function celsius(v) {
    return v === null ? "—" : (Math.round(v * 10) / 10).toFixed(1) + " °C";
  }

  function renderWeather(widget, data) {
    var c = obj(data.current) || {};
    widget.querySelectorAll(".weather-temp, .weather-desc, .forecast").forEach(function (el) {
      el.classList.add("dim-when-old");
    });
    text($(widget, "icon"), weatherIcon(num(c.weather_code), c.is_day === true ? true : c.is_day === false ? false : null));
    text($(widget, "temp"), celsius(num(c.temperature_c)));
    text($(widget, "desc"), str(c.description) || "");
    var meta = [];
    if (num(c.apparent_temperature_c) !== null) meta.push("feels " + celsius(c.apparent_temperature_c));
    if (num(c.humidity_percent) !== null) meta.push("humidity " + Math.round(c.humidity_percent) + "%");
    if (num(c.wind_speed_kmh) !== null) meta.push("wind " + Math.round(c.wind_speed_kmh) + " km/h");
    text($(widget, "meta"), meta.join(" · "));
    var days = Array.isArray(data.daily) ? data.daily.slice(0, 3) : [];
    $(widget, "forecast").replaceChildren.apply(
      $(widget, "forecast"),
      days.map(function (d) {
        var day = obj(d) || {};
        var date = str(day.date);
        var parsed = date ? new Date(date + "T12:00:00") : null;
        var li = h("li");
        li.append(
          h("span", "day", parsed && !isNaN(parsed.getTime()) ? parsed.toLocaleDateString([], { weekday: "short" }) : "—"),
          h("span", "range", Math.round(num(day.temperature_max_c) || 0) + "° / " + Math.round(num(day.temperature_min_c) || 0) + "°"),
          h("span", "what", str(day.description) || ""),
        );
        return li;
      }),
    );
  }

  function renderActivity(widget, data) {
    var list = $(widget, "items");
    var items = Array.isArray(data.items) ? data.items : [];
    var old = widget.querySelector(".empty-note");
    if (old) old.remove();
    list.classList.add("dim-when-old");
    list.replaceChildren.apply(
      list,
      items.slice(0, 6).map(function (raw) {
        var it = obj(raw) || {};
        var li = h("li");
        var repoName = str(it.repo) || "unknown repository";
        var href = safeHref(it.repo_url);
        var repo = href ? h("a", "repo", repoName) : h("span", "repo", repoName);
        if (href) repo.href = href;
        li.append(repo);
        if (str(it.ref)) li.append(document.createTextNode(" "), h("span", "ref", "⎇ " + it.ref));
        var commits = Array.isArray(it.commits) ? it.commits : [];
        var first = obj(commits[0]);
        var count = num(it.commit_count);
        var msg = first && str(first.message) ? first.message : it.type === "push_tag" ? "tag pushed" : "push";
        if (count !== null && count > 1) msg += " (+" + (count - 1) + " more)";
        li.append(h("span", "msg", msg));
        var when = h("time", "when");
        var created = str(it.created);
        var t = created ? Date.parse(created) : NaN;
        if (!isNaN(t)) {
          when.dateTime = created;
          when.textContent = (str(it.actor) ? it.actor + " · " : "") + ago((Date.now() - t) / 1000);
        } else {
          when.textContent = str(it.actor) || "";
        }
        li.append(when);
        return li;
      }),
    );
    if (items.length === 0) list.after(h("p", "empty-note", "No pushes yet."));
  }

  // ---- backups (the job's status files, judged by the API) ------------------------------

  var BACKUP_WORDS = { ok: "ok", stale: "overdue", never: "never ran", failed: "FAILED" };
  function backupPart(label, r) {
    var o = obj(r) || {};
    var st = str(o.status) || "never";
    var age = num(o.age_seconds);
    if (st === "ok") return label + " " + ago(age === null ? 0 : age);
    if (st === "stale") return label + " overdue (" + (age === null ? "never ok" : ago(age)) + ")";
    return label + " " + BACKUP_WORDS[st];
  }
  function backupsWidget(widget) {
    return function poll() {
      return getJSON("/api/backups").then(
        function (body) {
          var b = obj(body) || {};
          if (b.enabled === false) {
            setState(widget, "disabled", "not configured" + (str(b.reason) ? ": " + b.reason : ""));
            return;
          }
          var services = Array.isArray(b.services) ? b.services : [];
          var problems = Array.isArray(b.problems) ? b.problems.filter(str) : [];
          var list = $(widget, "services");
          list.replaceChildren.apply(
            list,
            services.map(function (raw) {
              var s = obj(raw) || {};
              var back = obj(s.backup) || {};
              var drill = obj(s.drill) || {};
              var worst = [back.status, drill.status].indexOf("failed") >= 0 ? "failed" : [back.status, drill.status].indexOf("never") >= 0 ? "never" : [back.status, drill.status].indexOf("stale") >= 0 ? "stale" : "ok";
              var li = h("li");
              li.dataset.status = worst;
              li.append(h("span", "svc", str(s.service) || "?"), h("span", "what", backupPart("backup", back) + " · " + backupPart("drill", drill)));
              return li;
            }),
          );
          var ul = $(widget, "problems");
          ul.replaceChildren.apply(ul, problems.slice(0, 5).map(function (p) {
            return h("li", null, p);
          }));
          var status = str(b.status) || "never";
          if (status === "ok") {
            setState(widget, "live", "all " + services.length + " backed up and drilled");
          } else if (status === "stale") {
            setState(widget, "stale", "overdue: " + problems.length + " problem" + (problems.length === 1 ? "" : "s"));
          } else {
            setState(widget, "failed", (status === "never" ? "NOT RUNNING: " : "FAILED: ") + problems.length + " problem" + (problems.length === 1 ? "" : "s"));
          }
        },
        function (err) {
          setState(widget, "offline", "offline: " + err.message);
          throw err;
        },
      );
    };
  }

  // ---- wiring --------------------------------------------------------------------------

  var pollers = [];
  var host = document.getElementById("w-host");
  var weather = document.getElementById("w-weather");
  var activity = document.getElementById("w-activity");
  if (host) pollers.push(new Poller(hostWidget(host), STATS_MS));
  if (weather) {
    pollers.push(new Poller(envelopeWidget(weather, "/api/weather", "weather", function (d) {
      renderWeather(weather, d);
    }), WEATHER_MS));
  }
  if (activity) {
    pollers.push(new Poller(envelopeWidget(activity, "/api/activity?limit=6", "activity", function (d) {
      renderActivity(activity, d);
    }), ACTIVITY_MS));
  }

  var backups = document.getElementById("w-backups");
  if (backups) pollers.push(new Poller(backupsWidget(backups), BACKUPS_MS));
  // ---- homes: does each homed service's home host answer from this host? -----------------
  var homeMarks = document.querySelectorAll(".card-home[data-home]");
  function markHomes(statuses, fallback) {
    Array.prototype.forEach.call(homeMarks, function (el) {
      var s = null;
      for (var i = 0; i < statuses.length; i++) if (statuses[i].service === el.getAttribute("data-service")) s = statuses[i];
      el.setAttribute("data-answers", s ? String(s.answers) : "unknown");
      text(
        el.querySelector(".home-status"),
        s ? (s.answers ? "answers from here" : "not answering from here" + (s.error ? " (" + s.error + ")" : "")) : fallback,
      );
    });
  }
  if (homeMarks.length > 0) {
    pollers.push(new Poller(function () {
      return getJSON("/api/homes").then(
        function (env) {
          markHomes(env && env.available && env.data && env.data.homes ? env.data.homes : [], "not checked");
        },
        function (e) {
          markHomes([], "unknown: " + e.message);
          throw e;
        },
      );
    }, HOMES_MS));
  }

  document.addEventListener("visibilitychange", function () {
    pollers.forEach(function (p) {
      if (document.hidden) p.pause();
      else p.resume();
    });
  });
  pollers.forEach(function (p) {
    if (document.hidden) p.lastRun = 0;
    else p.run();
  });
})();
