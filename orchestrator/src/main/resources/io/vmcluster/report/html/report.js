/* The page's only behaviour: a cursor line at the same run time on every chart (the charts share
   one time axis), with the time shown on the timeline. Everything else is static SVG and HTML.
   At the end it notes on each chart how many of its marks the browser laid out (for the tests). */
(function () {
  var NS = 'http://www.w3.org/2000/svg';
  var charts = [].slice.call(document.querySelectorAll('svg.chart'));
  charts.forEach(function (svg) {
    var line = document.createElementNS(NS, 'line');
    line.setAttribute('class', 'cursor');
    line.setAttribute('y1', '0');
    line.setAttribute('y2', svg.viewBox.baseVal.height);
    line.style.display = 'none';
    svg.appendChild(line);
    svg.__cursor = line;
    if (svg.id === 'timeline-chart') {
      var label = document.createElementNS(NS, 'text');
      label.setAttribute('class', 'cursor-label');
      label.setAttribute('y', '13');
      label.style.display = 'none';
      svg.appendChild(label);
      svg.__label = label;
    }
  });
  function seconds(ms) {
    var s = ms / 1000;
    return s < 120 ? s.toFixed(1) + ' s' : Math.floor(s / 60) + ':' + ('0' + Math.floor(s % 60)).slice(-2);
  }
  function show(x, ms) {
    charts.forEach(function (svg) {
      var visible = x !== null;
      svg.__cursor.style.display = visible ? '' : 'none';
      if (visible) {
        svg.__cursor.setAttribute('x1', x);
        svg.__cursor.setAttribute('x2', x);
      }
      if (svg.__label) {
        svg.__label.style.display = visible ? '' : 'none';
        if (visible) {
          svg.__label.setAttribute('x', x + 4);
          svg.__label.textContent = seconds(ms);
        }
      }
    });
  }
  charts.forEach(function (svg) {
    var x0 = parseFloat(svg.getAttribute('data-x0')), w = parseFloat(svg.getAttribute('data-w'));
    var span = parseFloat(svg.getAttribute('data-span-ms'));
    svg.addEventListener('mousemove', function (e) {
      var ctm = svg.getScreenCTM();
      if (!ctm) return;
      var p = svg.createSVGPoint();
      p.x = e.clientX;
      p.y = e.clientY;
      var x = p.matrixTransform(ctm.inverse()).x;
      if (x < x0 || x > x0 + w) { show(null, 0); return; }
      show(x, (x - x0) / w * span);
    });
    svg.addEventListener('mouseleave', function () { show(null, 0); });
  });
  // What the browser laid out: per chart, how many marks it has and how many have an area (a mark
  // whose geometry the browser rejected has none). Tests read these from the DOM.
  charts.forEach(function (svg) {
    var marks = svg.querySelectorAll('rect, path, circle'), painted = 0;
    for (var i = 0; i < marks.length; i++) {
      var b = marks[i].getBBox();
      if (b.width > 0 || b.height > 0) painted++;
    }
    svg.setAttribute('data-shapes', String(marks.length));
    svg.setAttribute('data-laid-out', String(painted));
  });
  document.documentElement.setAttribute('data-report-ready', 'true');
})();
