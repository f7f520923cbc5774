// The class view's page (src/class/server.rs serves it): asks `state` once
// a second and redraws the table when the class changed. Learners' text is
// only ever put in with textContent, never as HTML.
(function () {
  "use strict";
  var version = null;
  var table = document.getElementById("class");
  var status = document.getElementById("status");
  var empty = document.getElementById("empty");
  var marks = { "passed": "\u2713", "failing": "\u2717", "not started": "\u00b7" };

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  // 09:12, in this computer's time zone.
  function clock(time, seconds) {
    if (!time) return "";
    var date = new Date(time);
    if (isNaN(date.getTime())) return "";
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    var text = two(date.getHours()) + ":" + two(date.getMinutes());
    return seconds ? text + ":" + two(date.getSeconds()) : text;
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  function render(state) {
    var columns = [];
    var titles = {};
    state.seats.forEach(function (seat) {
      seat.exercises.forEach(function (e) {
        if (!(e.number in titles)) {
          titles[e.number] = e.title;
          columns.push(e.number);
        }
      });
    });
    columns.sort(function (a, b) { return a - b; });

    var head = element("tr");
    head.appendChild(element("th", "Seat"));
    head.appendChild(element("th", "Passed"));
    head.appendChild(element("th", "Last heard"));
    columns.forEach(function (number) {
      var th = element("th", (number < 10 ? "0" : "") + number);
      th.title = titles[number];
      head.appendChild(th);
    });
    var thead = element("thead");
    thead.appendChild(head);

    var tbody = element("tbody");
    state.seats.forEach(function (seat) {
      var row = element("tr");
      row.dataset.seat = seat.seat;
      row.appendChild(element("th", seat.seat, "seat"));
      var byNumber = {};
      var passed = 0;
      seat.exercises.forEach(function (e) {
        byNumber[e.number] = e;
        if (e.status === "passed") passed += 1;
      });
      row.appendChild(element("td", passed + " of " + seat.exercises.length, "passed-count"));
      row.appendChild(element("td", clock(seat.lastSeen, true), "last-seen"));
      columns.forEach(function (number) {
        var e = byNumber[number];
        var cell = element("td", null, "exercise");
        cell.dataset.exercise = String(number);
        if (!e) {
          row.appendChild(cell);
          return;
        }
        cell.dataset.status = e.status;
        cell.classList.add(e.status.replace(" ", "-"));
        cell.appendChild(element("span", (marks[e.status] || "?") + " " + e.status, "status"));
        if (e.attempts > 0 || e.hintsShown > 0) {
          cell.appendChild(element("span", plural(e.attempts, "run", "runs") + ", " + plural(e.hintsShown, "hint", "hints"), "counts"));
        }
        if (e.firstAttempt) {
          cell.appendChild(element("span", clock(e.firstAttempt) + "\u2013" + clock(e.lastAttempt), "times"));
        }
        cell.title = e.title + ": first run " + (e.firstAttempt || "none") + ", last run " + (e.lastAttempt || "none") + " (UTC)";
        row.appendChild(cell);
      });
      tbody.appendChild(row);
    });
    table.replaceChildren(thead, tbody);
    empty.hidden = state.seats.length > 0;
  }

  function poll() {
    fetch("state" + (version === null ? "" : "?since=" + version), { cache: "no-store" })
      .then(function (response) {
        if (response.status === 204) return null;
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      })
      .then(function (state) {
        if (state) {
          version = state.version;
          render(state);
        }
        status.textContent = "Live: updated as learners' progress arrives.";
        status.className = "live";
      })
      .catch(function () {
        status.textContent = "The class view is not answering (stopped?); trying again every second.";
        status.className = "down";
      })
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
