// charrnn explain: tooltips, keyboard reading, and the unit and comparison panels.
// Everything shown is set through textContent, className and style: the data holds only numbers.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('data').textContent);
  var K = D.x.length, W = D.L * D.H, TOP = 5;
  var DIFF = [-4, -2, -1, -0.25, 0.25, 1, 2, 4];
  var src = document.getElementById('text');
  var tip = document.getElementById('tip');
  var units = null;
  if (D.units) {
    var raw = atob(D.units);
    units = new Int8Array(raw.length);
    for (var i = 0; i < raw.length; i++) units[i] = raw.charCodeAt(i) << 24 >> 24;
  }

  function bits(p) { return -Math.log(p) / Math.LN2; }
  function pct(p) { return (100 * p).toFixed(p < 0.001 ? 3 : 1) + '%'; }
  function hex(cp) { var h = cp.toString(16).toUpperCase(); while (h.length < 4) h = '0' + h; return 'U+' + h; }
  function glyph(cp) {
    if (cp === 10) return '\u21B5';
    if (cp === 32) return '\u2423';
    if (cp === 9) return '\u21E5';
    if (cp < 32) return String.fromCodePoint(0x2400 + cp);
    return String.fromCodePoint(cp);
  }
  function unitName(u) { return 'layer ' + (Math.floor(u / D.H) + 1) + ', unit ' + (u % D.H); }

  // k of each span (−1 outside the vocabulary), and the spans of each panel by k
  function index(panel) {
    var byK = [], kids = panel.children;
    for (var i = 0, k = 0; i < kids.length; i++) {
      var e = kids[i];
      e._pos = i;
      e._k = e.classList.contains('u') ? -1 : k++;
      if (e._k >= 0) byK.push(e);
    }
    panel._byK = byK;
    return byK;
  }
  // a copy of the text's spans, in one native clone (their surprise classes shade only inside .shade)
  function copyInto(id) {
    var host = document.getElementById(id);
    if (!host) return null;
    var range = document.createRange();
    range.selectNodeContents(src);
    host.appendChild(range.cloneContents());
    index(host);
    return host;
  }
  index(src);
  var unitPanel = copyInto('unit-text');
  var diffPanel = copyInto('diff-text');
  var select = document.getElementById('unit');

  function unitValue(k, u) { return units[k * W + u] / 127 * D.scale[u]; }
  function showUnit(u) {
    var spans = unitPanel._byK;
    for (var k = 0; k < spans.length; k++) {
      var v = units[k * W + u] / 127;
      spans[k].style.background = v >= 0 ? 'rgba(214,96,77,' + v + ')' : 'rgba(67,147,195,' + (-v) + ')';
    }
  }
  if (unitPanel) {
    select.addEventListener('change', function () { showUnit(+select.value); });
    showUnit(+select.value);
  }
  if (diffPanel) {
    var spans = diffPanel._byK;
    for (var k = 1; k < spans.length; k++) {
      var d = bits(D.b.p[k]) - bits(D.p[k]), bin = 0;
      while (bin < DIFF.length && d > DIFF[bin]) bin++;
      spans[k].classList.add('d' + bin);
    }
  }

  function describe(e, panel) {
    var k = e._k;
    if (k < 0) {
      var outside = e.hasAttribute('data-cp') ? +e.getAttribute('data-cp') : e.textContent.codePointAt(0);
      return hex(outside) + ' is outside the vocabulary: shown, not read, not counted';
    }
    var cp = D.V[D.x[k]];
    var lines = ['\u2018' + glyph(cp) + '\u2019 ' + hex(cp) + ', character ' + (k + 1) + ' read'];
    if (k === 0) {
      lines.push('the first character: nothing before it to predict it from');
    } else {
      lines.push(bits(D.p[k]).toFixed(2) + ' bits of surprise (p = ' + pct(D.p[k]) + '), rank ' + D.rank[k]);
      var g = [];
      for (var j = 0; j < TOP; j++) {
        var s = D.top[k * TOP + j];
        if (s >= 0) g.push('\u2018' + glyph(D.V[s]) + '\u2019 ' + pct(D.topP[k * TOP + j]));
      }
      lines.push('its guesses: ' + g.join('  '));
      if (D.b) {
        var db = bits(D.b.p[k]) - bits(D.p[k]);
        lines.push('compared model: ' + bits(D.b.p[k]).toFixed(2) + ' bits, rank ' + D.b.rank[k]
          + ' (' + (db > 0 ? '+' : '') + db.toFixed(2) + ')');
      }
    }
    if (panel === unitPanel) {
      var u = +select.value;
      lines.push(unitName(u) + ' after it: ' + unitValue(k, u).toFixed(3));
    }
    return lines.join('\n');
  }
  function show(e, panel) {
    tip.textContent = describe(e, panel);
    tip.hidden = false;
    var r = e.getBoundingClientRect();
    tip.style.left = Math.max(0, r.left + window.scrollX) + 'px';
    tip.style.top = (r.bottom + window.scrollY + 4) + 'px';
  }
  function setCurrent(panel, e) {
    if (panel._cur) panel._cur.classList.remove('cur');
    panel._cur = e;
    e.classList.add('cur');
    var box = panel.getBoundingClientRect(), r = e.getBoundingClientRect();
    if (r.top < box.top || r.bottom > box.bottom) e.scrollIntoView({block: 'nearest'});
    show(e, panel);
  }
  [src, unitPanel, diffPanel].forEach(function (panel) {
    if (!panel) return;
    panel.addEventListener('mouseover', function (ev) {
      if (ev.target.parentNode === panel) show(ev.target, panel);
    });
    panel.addEventListener('mouseleave', function () { if (document.activeElement !== panel) tip.hidden = true; });
    panel.addEventListener('focus', function () { setCurrent(panel, panel._cur || panel.children[0]); });
    panel.addEventListener('blur', function () { tip.hidden = true; });
    panel.addEventListener('keydown', function (ev) {
      var i = panel._cur ? panel._cur._pos : 0, n = panel.children.length;
      var step = {ArrowRight: 1, ArrowLeft: -1, ArrowDown: 40, ArrowUp: -40, Home: -n, End: n}[ev.key];
      if (step === undefined) return;
      ev.preventDefault();
      setCurrent(panel, panel.children[Math.max(0, Math.min(n - 1, i + step))]);
    });
  });
  document.querySelectorAll('tr[data-k]').forEach(function (row) {
    row.addEventListener('click', function () {
      var e = src._byK[+row.getAttribute('data-k')];
      e.scrollIntoView({block: 'center'});
      src.focus({preventScroll: true});
      setCurrent(src, e);
    });
  });
  document.querySelectorAll('tr[data-u]').forEach(function (row) {
    row.addEventListener('click', function () {
      select.value = row.getAttribute('data-u');
      showUnit(+select.value);
      unitPanel.scrollIntoView({block: 'nearest'});
    });
  });
})();
