/* The session player: one set at a time, timers, and a log that survives reloads and
 * lost connections. State lives in localStorage under one key per session; every logged
 * set sends the whole session so far to the log API under one client id (an idempotent
 * upsert that replaces the sets), so retries never make a second session, and an undone
 * set is gone from the next send (a session undone to no sets is deleted instead). */
(function () {
  "use strict";
  var root = document.getElementById("player");
  if (!root) return;
  var page = JSON.parse(document.getElementById("player-data").textContent);
  var scale = Number(page.timer_scale) || 1;
  var KEY = "hamstride.play." + page.profile + "." + page.date + "." + page.n;
  var RETRY_MS = 3000;
  var $ = function (id) { return document.getElementById(id); };

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    return "s" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(KEY) || "null");
      if (saved && saved.v === 1 && saved.items && saved.items.length) return saved;
    } catch (e) { /* a broken entry starts afresh */ }
    return {
      v: 1, id: newId(), date: page.date, items: page.items, step: 0, phase: "work",
      rest: null, undo: [], sets: [], skipped: 0, startedAt: Date.now(), rev: 0,
      sentRev: 0, failed: "", finish: null
    };
  }

  var state = load();
  function persist() {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* full: keep going */ }
  }

  // -- the steps: each set of each item, each side of a per-side item ---------------------
  var steps = [];
  state.items.forEach(function (item, i) {
    item.sets.forEach(function (dose, k) {
      (item.per_side ? ["left", "right"] : ["both"]).forEach(function (side) {
        steps.push({ i: i, k: k, side: side, dose: dose, item: item });
      });
    });
  });

  function clock(seconds) {
    if (seconds < 60) return String(seconds);
    var s = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (s < 10 ? "0" : "") + s;
  }
  // the same reading of seconds as training/dose_text.py's duration
  function duration(seconds) {
    if (seconds < 120) return seconds + " s";
    return Math.floor(seconds / 60) + " min" + (seconds % 60 ? " " + (seconds % 60) + " s" : "");
  }
  function warmUp(item) { return item.role === "warm_up"; }
  // a set's words come from the server (training/dose_text.py's set_text), never made here
  function doseText(dose) { return dose.text; }

  // -- signals: a beep (WebAudio, no files), a vibration and a flash ----------------------
  var audio = null;
  function unlockAudio() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!audio && Ctx) audio = new Ctx();
      if (audio && audio.state === "suspended") audio.resume();
    } catch (e) { audio = null; }
  }
  function beep(times) {
    document.body.dataset.signals = String(Number(document.body.dataset.signals || 0) + 1);
    document.body.classList.add("flash");
    setTimeout(function () { document.body.classList.remove("flash"); }, 900);
    if (navigator.vibrate) { try { navigator.vibrate([200, 100, 200]); } catch (e) { /* no */ } }
    if (!audio) return;
    for (var n = 0; n < (times || 1); n++) {
      var at = audio.currentTime + n * 0.25;
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.3, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + 0.2);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(at);
      osc.stop(at + 0.2);
    }
  }

  var wakeLock = null;
  function keepAwake() {
    if (wakeLock || !navigator.wakeLock) return;
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      lock.addEventListener("release", function () { wakeLock = null; });
    }).catch(function () { /* not allowed: fine */ });
  }

  // -- timers: timed sets, tempo and rest count real seconds divided by the scale ---------
  // A countdown is plain data (the rest's is kept in the state): its length and when it
  // ends in real ms; while paused, `left` holds what is left instead.
  function scaled(seconds) { return seconds * 1000 * scale; }
  function countdown(ms) { return { total: ms, until: Date.now() + ms, left: null }; }
  function remaining(c) { return c.left != null ? c.left : c.until - Date.now(); }
  function isPaused(c) { return c.left != null; }
  function setPaused(c, paused) {
    if (paused && !isPaused(c)) {
      c.left = Math.max(remaining(c), 0);
    } else if (!paused && isPaused(c)) {
      c.until = Date.now() + c.left;
      c.left = null;
    }
  }
  function restart(c) {
    if (isPaused(c)) c.left = c.total;
    else c.until = Date.now() + c.total;
  }
  function showPaused(c, box, button, label, running) {
    var paused = isPaused(c);
    box.classList.toggle("paused", paused);
    button.textContent = paused ? "Resume" : "Pause";
    label.textContent = paused ? "paused" : running;
  }

  var timer = null; // the work timer: a countdown plus {kind, seconds}
  function startTimer(kind, seconds) {
    timer = countdown(scaled(seconds));
    timer.kind = kind;
    timer.seconds = seconds;
    $("timer-controls").hidden = false;
    tick();
  }
  function stopTimer() { timer = null; }

  function tick() {
    if (state.phase === "rest") return renderRest();
    if (!timer) return;
    var elapsed = (timer.total - remaining(timer)) / (1000 * scale);
    var box = $("timer");
    box.hidden = false;
    if (elapsed >= timer.seconds) {
      timer = null;
      $("timer-value").textContent = "✓";
      $("timer-label").textContent = "time! tap Done";
      box.classList.remove("pulse", "down", "up", "paused");
      box.classList.add("ended");
      $("timer-controls").hidden = true;
      $("timer-start").hidden = false;
      $("timer-start").textContent = "Again";
      beep(2);
      return;
    }
    box.classList.remove("ended");
    if (timer.kind === "timed") {
      $("timer-value").textContent = clock(Math.ceil(timer.seconds - elapsed));
      showPaused(timer, box, $("timer-pause"), $("timer-label"),
                 warmUp(steps[state.step].item) ? "warm-up" : "hold");
      return;
    }
    // tempo: each rep is down_s seconds down, then up_s seconds pause and up
    var item = steps[state.step].item;
    var repLength = item.down_s + item.up_s;
    var rep = Math.floor(elapsed / repLength);
    var within = elapsed - rep * repLength;
    var down = within < item.down_s;
    var left = down ? item.down_s - within : repLength - within;
    var reps = steps[state.step].dose.reps;
    $("timer-value").textContent = String(Math.ceil(left));
    showPaused(timer, box, $("timer-pause"), $("timer-label"),
               (down ? "down" : "up") + " · rep " + (rep + 1) + "/" + reps);
    box.classList.toggle("down", down);
    box.classList.toggle("up", !down);
    var beat = Math.floor(within);
    if (box.dataset.beat !== rep + ":" + beat) {
      box.dataset.beat = rep + ":" + beat;
      box.classList.remove("pulse");
      void box.offsetWidth; // restart the pulse animation each second
      box.classList.add("pulse");
    }
  }
  setInterval(tick, Math.max(20, Math.min(200, 250 * scale)));

  // -- sync: send the whole session so far; queue it while offline ------------------------
  var sending = false;
  var unreachable = false; // the last try failed for want of a connection
  function documentNow() {
    var doc = { id: state.id, date: state.date, notes: "", sets: state.sets };
    if (state.finish) {
      doc.session_rpe = state.finish.session_rpe;
      doc.pain = state.finish.pain;
      doc.notes = state.finish.notes;
      doc.duration_min = state.finish.duration_min;
    }
    return doc;
  }
  function changed() {
    state.rev += 1;
    state.failed = "";
    persist();
    send();
  }
  function request() {
    if (state.sets.length || state.finish) {
      return fetch(page.api, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(documentNow())
      });
    }
    // every set undone: the entry goes (404: it never reached the server, which is fine)
    return fetch(page.api + "/" + encodeURIComponent(state.id), { method: "DELETE" })
      .then(function (response) {
        return response.status === 404 ? new Response(null, { status: 204 }) : response;
      });
  }
  function send() {
    if (sending || state.rev <= state.sentRev || state.failed) return renderSync();
    sending = true;
    var rev = state.rev;
    renderSync();
    request().then(function (response) {
      unreachable = false;
      if (response.ok) {
        state.sentRev = Math.max(state.sentRev, rev);
        return null;
      }
      return response.json().catch(function () { return {}; }).then(function (body) {
        var message = (body && body.error && body.error.message) || ("HTTP " + response.status);
        if (response.status < 500) state.failed = message; // retrying would not help
        else unreachable = true;
      });
    }, function () {
      unreachable = true; // offline: the session stays queued and is sent again
    }).then(function () {
      sending = false;
      persist();
      renderSync();
      if (state.phase === "saved") renderSaved();
      if (state.rev > state.sentRev && !state.failed && !unreachable) setTimeout(send, 50);
    });
  }
  setInterval(function () { if (state.rev > state.sentRev && !state.failed) send(); }, RETRY_MS);
  window.addEventListener("online", send);
  window.addEventListener("offline", function () { unreachable = true; renderSync(); });

  function renderSync() {
    var el = $("sync");
    var waiting = Math.max(state.rev - state.sentRev, 0);
    var text = "";
    var kind = "ok";
    if (state.failed) {
      text = "not saved: " + state.failed;
      kind = "error";
    } else if (!waiting) {
      text = state.rev ? "saved" : "";
    } else if (unreachable || navigator.onLine === false) {
      text = "offline: " + waiting + " waiting";
      kind = "waiting";
    } else {
      text = "saving…";
      kind = "waiting";
    }
    el.textContent = text;
    el.title = text;
    el.dataset.state = kind;
    el.dataset.waiting = String(waiting);
  }

  // -- moving through the session ----------------------------------------------------------
  function logSet(values) {
    var step = steps[state.step];
    var entry = { exercise: step.item.exercise, side: step.side };
    Object.keys(values).forEach(function (k) { if (values[k] !== null) entry[k] = values[k]; });
    state.sets.push(entry);
    // where each logged set was done, for undo (a double tap on Done logs two)
    state.undo = (state.undo || []).concat([{ step: state.step, skipped: state.skipped }]);
    advance(true);
    changed();
  }
  function undo() {
    // back to the set last logged, as not done; the sets skipped since come back too
    var last = lastDone();
    if (!last) return;
    stopTimer();
    state.sets.pop();
    state.undo.pop();
    state.step = last.step;
    state.skipped = last.skipped;
    state.rest = null;
    state.phase = "work";
    changed();
    render();
  }
  function prescribed() {
    var dose = steps[state.step].dose;
    return dose.hold_s != null ? { hold_s: dose.hold_s } : { reps: dose.reps };
  }
  function advance(rested) {
    stopTimer();
    var from = steps[state.step];
    state.step += 1;
    var next = steps[state.step];
    if (!next) {
      state.phase = "finish";
    } else if (rested && next.i === from.i && next.k !== from.k && from.item.rest_s > 0) {
      state.phase = "rest";
      state.rest = countdown(scaled(from.item.rest_s));
    } else {
      state.phase = "work";
    }
    persist();
    render();
  }

  // -- rendering ---------------------------------------------------------------------------
  function show(id) {
    ["work", "rest", "finish", "saved"].forEach(function (s) { $(s).hidden = s !== id; });
  }
  function fillList(id, lines) {
    var list = $(id);
    list.textContent = "";
    lines.forEach(function (line) {
      var li = document.createElement("li");
      li.textContent = line;
      list.appendChild(li);
    });
  }
  function setsOf(step) { return step.item.sets.length; }

  function render() {
    renderSync();
    renderUndo();
    if (state.phase === "saved") return renderSaved();
    if (state.phase === "finish" || state.step >= steps.length) return renderFinish();
    if (state.phase === "rest") return renderRest();
    renderWork();
  }

  function lastDone() {
    var undo = state.undo || [];
    return state.phase !== "saved" && undo.length ? undo[undo.length - 1] : null;
  }
  function renderUndo() {
    var last = lastDone();
    var step = last ? steps[last.step] : null;
    $("undo-bar").hidden = !step;
    if (step) {
      $("undo-text").textContent = "✓ " + step.item.name + ", set " + (step.k + 1) +
        (step.side !== "both" ? ", " + step.side + " side" : "") + " logged";
    }
  }

  function renderWork() {
    show("work");
    var step = steps[state.step];
    var item = step.item;
    $("where").textContent = "Exercise " + (step.i + 1) + " of " + state.items.length;
    $("ex-name").textContent = item.name;
    $("set-line").textContent = "Set " + (step.k + 1) + " of " + setsOf(step) +
      (step.side !== "both" ? " · " + step.side + " side" : "");
    $("dose").textContent = doseText(step.dose);
    var tempo = $("tempo-line");
    tempo.hidden = !item.tempo_text;
    tempo.textContent = item.tempo_text ? "Tempo: " + item.tempo_text : "";
    var notes = $("item-notes");
    notes.hidden = !item.notes;
    notes.textContent = item.notes || "";
    fillList("instructions", item.instructions);
    fillList("cues", item.cues);
    var box = $("timer");
    box.hidden = true;
    box.className = "timer";
    $("timer-controls").hidden = true;
    var start = $("timer-start");
    if (step.dose.hold_s != null) {
      start.hidden = false;
      start.textContent = "Start the " + duration(step.dose.hold_s) + " timer";
      start.dataset.kind = "timed";
    } else if (item.down_s) {
      start.hidden = false;
      start.textContent = "Start reps (" + item.down_s + " s down)";
      start.dataset.kind = "tempo";
    } else {
      start.hidden = true;
    }
    $("change-form").hidden = true;
    $("done").hidden = false;
  }

  function renderRest() {
    var left = state.rest ? remaining(state.rest) / (1000 * scale) : 0;
    if (left <= 0) {
      state.phase = "work";
      persist();
      beep(1);
      return render();
    }
    if ($("rest").hidden) {
      show("rest");
      var next = steps[state.step];
      $("rest-next").textContent = next.item.name + ", set " + (next.k + 1) + " of " +
        setsOf(next) + " (" + doseText(next.dose) + ")";
      $("where").textContent = "Exercise " + (next.i + 1) + " of " + state.items.length;
    }
    $("rest-value").textContent = clock(Math.ceil(left));
    showPaused(state.rest, $("rest-timer"), $("rest-pause"), $("rest-label"), "rest left");
  }

  function renderFinish() {
    show("finish");
    state.phase = "finish";
    $("where").textContent = "Finished";
    $("finish-summary").textContent = state.sets.length + " set" +
      (state.sets.length === 1 ? "" : "s") + " logged" +
      (state.skipped ? ", " + state.skipped + " skipped" : "") + ".";
  }

  function renderSaved() {
    show("saved");
    $("where").textContent = "Saved";
    var waiting = state.rev > state.sentRev;
    $("saved-text").textContent = state.sets.length + " sets logged. " + (waiting
      ? "Kept on this phone; it is sent as soon as there is a connection."
      : "Your plan adapts to what you did.");
  }

  // -- controls ----------------------------------------------------------------------------
  document.addEventListener("pointerdown", unlockAudio, { once: true });
  $("done").addEventListener("click", function () { unlockAudio(); keepAwake(); logSet(prescribed()); });
  $("skip").addEventListener("click", function () { state.skipped += 1; advance(false); });
  $("timer-start").addEventListener("click", function () {
    unlockAudio();
    keepAwake();
    var step = steps[state.step];
    this.hidden = true;
    if (this.dataset.kind === "timed") startTimer("timed", step.dose.hold_s);
    else startTimer("tempo", step.dose.reps * (step.item.down_s + step.item.up_s));
  });
  // pause / resume and reset: the work timer's, and the rest's (kept across a reload)
  function timerControls(prefix, current, after) {
    $(prefix + "-pause").addEventListener("click", function () {
      var c = current();
      if (!c) return;
      setPaused(c, !isPaused(c));
      after();
    });
    $(prefix + "-reset").addEventListener("click", function () {
      var c = current();
      if (!c) return;
      restart(c);
      after();
    });
  }
  timerControls("timer", function () { return timer; }, tick);
  timerControls("rest", function () { return state.rest; }, function () {
    persist();
    renderRest();
  });
  $("undo").addEventListener("click", undo);
  $("change").addEventListener("click", function () {
    var step = steps[state.step];
    var hold = step.dose.hold_s != null;
    $("measure-label").textContent =
      !hold ? "Reps" : warmUp(step.item) ? "Time (s)" : "Hold (s)";
    $("c-measure").value = hold ? step.dose.hold_s : step.dose.reps;
    $("c-load").value = "";
    $("c-rpe").value = "";
    $("c-pain").value = "";
    $("change-form").hidden = false;
    $("done").hidden = true;
    $("c-measure").focus();
  });
  $("change-cancel").addEventListener("click", function () {
    $("change-form").hidden = true;
    $("done").hidden = false;
  });
  function number(id) {
    var raw = $(id).value.trim();
    return raw === "" || isNaN(Number(raw)) ? null : Number(raw);
  }
  $("change-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if (!this.reportValidity()) return;
    var hold = steps[state.step].dose.hold_s != null;
    var values = {};
    values[hold ? "hold_s" : "reps"] = Math.round(number("c-measure") || 0);
    values.load_kg = number("c-load");
    values.rpe = number("c-rpe");
    values.pain = number("c-pain") === null ? null : Math.round(number("c-pain"));
    logSet(values);
  });
  $("rest-skip").addEventListener("click", function () {
    state.phase = "work";
    persist();
    render();
  });
  $("end").addEventListener("click", function () {
    if (!window.confirm("End the session here? The sets so far stay logged.")) return;
    stopTimer();
    state.phase = "finish";
    persist();
    render();
  });
  ["f-rpe", "f-pain"].forEach(function (id) {
    $(id).addEventListener("input", function () { $(id + "-out").textContent = this.value; });
  });
  $("finish-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var minutes = Math.round((Date.now() - state.startedAt) / 6000) / 10;
    state.finish = {
      session_rpe: Number($("f-rpe").value), pain: Number($("f-pain").value),
      notes: $("f-notes").value.slice(0, 2000), duration_min: Math.min(600, minutes)
    };
    state.phase = "saved";
    changed();
    render();
  });

  root.dataset.ready = "true";
  render();
  if (state.rev > state.sentRev) send();
})();
